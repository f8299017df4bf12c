# Rekan's production image. gunicorn serves Django, WhiteNoise serves the
# static files; the same image runs the Celery worker and beat (see
# docker-compose.yml). Configuration comes only from environment variables
# (README.md lists them); SECRET_KEY has no default here on purpose.
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=config.settings

WORKDIR /app

RUN groupadd --system --gid 1000 rekan \
    && useradd --system --uid 1000 --gid rekan --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin rekan

# Dependencies first, so that a code change does not reinstall them. Every
# package's version and hashes are in the lock; pip refuses any other file.
COPY requirements.lock ./
RUN pip install --no-cache-dir --disable-pip-version-check --require-hashes -r requirements.lock

# Only what the application needs (no virtualenv, local database or tests).
# A new Django app or top-level folder must be added here too;
# tests/test_deployment_files.py checks that every local app is.
COPY manage.py ./
COPY config ./config
COPY accounts ./accounts
COPY partners ./partners
COPY engagements ./engagements
COPY templates ./templates
COPY static ./static
COPY locale ./locale

# The code stays owned by root (read-only to the app); the app may write
# only var/ (REKAN_VAR_DIR) and staticfiles/ (STATIC_ROOT).
RUN mkdir -p var staticfiles && chown rekan:rekan var staticfiles

USER rekan

# Collect the static files into the image with a throw-away key, so that the
# image also works without the compose file's start-up collectstatic (which
# then only confirms the files). The key exists for this one command only.
RUN SECRET_KEY="$(python -c 'import secrets; print(secrets.token_urlsafe(64))')" \
    DEBUG=false REKAN_VAR_DIR=/tmp/rekan-build \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/rekan-build

EXPOSE 8000

CMD ["gunicorn", "config.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
