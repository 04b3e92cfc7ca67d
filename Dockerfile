# syntax=docker/dockerfile:1
# Förderportal production image: one image for web (gunicorn), worker and scheduler; which one
# runs is the command (compose.yaml). Built in three stages so that neither npm nor pip's
# caches end up in the final image; it holds no compiler and runs as a non-root user.

# --- 1. front-end packages (KERN UX, htmx), pinned by package-lock.json -----------------------
FROM node:22-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- 2. Python packages and the collected, hashed static files ---------------------------------
FROM python:3.11-slim-bookworm AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
WORKDIR /app
RUN python -m venv /opt/venv
COPY pyproject.toml ./
# Every dependency ships a wheel: no build tools are needed, not even here.
RUN /opt/venv/bin/pip install ".[production]"
COPY . .
COPY --from=assets /src/node_modules ./node_modules
# collectstatic loads the production settings, which insist on their variables: placeholders
# that exist only in this build step (the real ones come from the environment at run time).
RUN /opt/venv/bin/python scripts/vendor_assets.py \
    && DJANGO_ENV=production SECRET_KEY=build-only ALLOWED_HOSTS=build.invalid \
       REDIS_URL=redis://build.invalid EMAIL_BACKEND=anymail.backends.postmark.EmailBackend \
       WEBHOOK_SECRET=build:only TRUSTED_PROXIES=127.0.0.1 STATIC_ROOT=/app/staticfiles \
       /opt/venv/bin/python manage.py collectstatic --no-input -v0 \
    && rm -rf node_modules

# --- 3. the runtime image ---------------------------------------------------------------------
FROM python:3.11-slim-bookworm
# Pango and fonts for WeasyPrint's letters; the PostgreSQL client (same major version as the
# database service) for `manage.py backup` and `restore`.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
       libpango-1.0-0=1.50.* libpangoft2-1.0-0=1.50.* fonts-dejavu-core=2.37-* \
       postgresql-client-15=15.* \
    && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 app \
    && useradd --system --uid 10001 --gid app --home-dir /app --shell /usr/sbin/nologin app \
    && mkdir -p /data/private-media /data/backups \
    && chown -R app:app /data
# PRIVATE_MEDIA_ROOT is a folder, not a secret; secrets come from the environment at run time.
# hadolint ignore=DL3064
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_ENV=production \
    STATIC_ROOT=/app/staticfiles \
    PRIVATE_MEDIA_ROOT=/data/private-media \
    BACKUP_DIR=/data/backups \
    PORT=8000
WORKDIR /app
COPY --from=build /opt/venv /opt/venv
# The code belongs to root: the app user may read it, not change it.
COPY --from=build --chown=root:root /app /app
USER 10001:10001
EXPOSE 8000
VOLUME ["/data/private-media", "/data/backups"]
# /health/ answers without a host name or TLS; 503 (unhealthy) when the database, the worker,
# the scheduler, the mail queue or the disk is in trouble.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/health/' % os.environ.get('PORT', '8000'), timeout=4)"]
CMD ["gunicorn", "-c", "config/gunicorn.py", "config.wsgi"]
