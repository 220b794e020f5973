# The image compose.yaml builds (not built in CI). Static files are collected at build time
# (whitenoise serves them); media go to object storage (DJANGO_MEDIA_STORAGE=s3).
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt boto3
COPY . .
RUN DJANGO_DEBUG=true python manage.py compilemessages -v0 \
 && DJANGO_SECRET_KEY=build-only DJANGO_ALLOWED_HOSTS=build python manage.py collectstatic --noinput -v0
RUN useradd --system daihuo && mkdir -p /app/var && chown daihuo /app/var
USER daihuo
