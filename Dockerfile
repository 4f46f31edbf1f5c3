FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY pyproject.toml ./
RUN pip install --no-cache-dir --upgrade pip
COPY . .
RUN pip install --no-cache-dir -e . \
    && DJANGO_SETTINGS_MODULE=config.settings.base python manage.py collectstatic --noinput
EXPOSE 8000
# Workers and bind: gunicorn.conf.py (GUNICORN_WORKERS and friends override it).
CMD ["gunicorn", "config.wsgi:application"]
