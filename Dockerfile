# The image compose.yaml builds (not built in CI). Static files are collected at build time
# (whitenoise serves them); media go to object storage (DJANGO_MEDIA_STORAGE=s3).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt boto3
COPY . .
# collectstatic loads the settings, which require a DATABASE_URL; it never connects to it.
RUN python scripts/compile_messages.py \
 && DATABASE_URL=postgres://build@localhost/build DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput -v0
RUN useradd --system daihuo && mkdir -p /app/var && chown daihuo /app/var
USER daihuo
