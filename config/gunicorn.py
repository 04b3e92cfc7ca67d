"""gunicorn settings for production (`gunicorn -c config/gunicorn.py config.wsgi`), from the
environment like the rest of the settings (docs/operations.md)."""

import gc
import os

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
# Synchronous workers: requests are short, PDFs are made by the worker process. Two to three
# per core; each holds one database connection.
workers = int(os.environ.get("WEB_CONCURRENCY", "3"))
# Letters are rendered on request in some views; 60 s leaves room without hiding hangs.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
# A worker is replaced now and then, so a slow leak never grows into an outage. Not every
# thousand requests: a fast page serves a thousand in seconds, and each replacement cost a new
# worker over a second of CPU to import the app (measured: 1.2 ms added to every 7.6 ms request
# of the applicant dashboard, and its slowest requests waited for the new worker).
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "10000"))
max_requests_jitter = max_requests // 10
# The app is imported once, in the master, and every worker is forked from it: a replaced worker
# starts in milliseconds instead of importing Django again (0.3 s of CPU instead of 1.3 s,
# mostly its first requests compiling templates), and the workers share the imported code's
# memory. Nothing opens a connection at import (databases, cache and object storage connect
# on first use, in the worker).
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"
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


def pre_fork(server, worker) -> None:
    # What the master imported lives as long as the worker: moved out of the garbage
    # collector's reach, it is neither scanned by every full collection in the worker nor
    # copied into the worker's memory by the collector touching it (Python's gc.freeze advice
    # for forking servers).
    if preload_app:
        gc.freeze()
