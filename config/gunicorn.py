"""gunicorn settings for production (`gunicorn -c config/gunicorn.py config.wsgi`), from the
environment like the rest of the settings (docs/operations.md)."""

import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Synchronous workers: requests are short, PDFs are made by the worker process. Two to three
# per core; each holds one database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Letters are rendered on request in some views; 60 s leaves room without hiding hangs.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak never grows into an outage.
max_requests = 1000
max_requests_jitter = 100
# Heartbeat files in memory: a container's overlay file system can stall them.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None
# The app decides which proxy to trust (TRUSTED_PROXIES, operations.middleware); gunicorn must
# agree, or it would believe or drop X-Forwarded-* on its own.
forwarded_allow_ips = os.environ.get("TRUSTED_PROXIES", "127.0.0.1") or "127.0.0.1"
# The app writes one JSON line per request with request and user id but no IP address
# (operations.middleware.RequestLogMiddleware); gunicorn's access log would add the IPs.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
