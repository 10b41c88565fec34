# One image for web, worker and beat (docker-compose.yml chooses the command).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml ./
COPY channelhub ./channelhub
COPY common ./common
COPY partners ./partners
COPY sales ./sales
COPY incentives ./incentives
COPY portal ./portal
RUN pip install .
COPY . .
# Static files are collected at build time; the settings refuse to start without these two.
RUN SECRET_KEY=build-only ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v0 \
    && useradd --system --uid 1000 channelhub && mkdir -p var && chown channelhub var
USER channelhub
EXPOSE 8000
CMD ["gunicorn", "channelhub.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
