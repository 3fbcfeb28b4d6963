# Image for web, worker and beat (docker-compose.yml). WeasyPrint's Pango and the fonts come from Debian.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_DISABLE_PIP_VERSION_CHECK=1
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
    fonts-dejavu-core fonts-liberation2 nodejs npm \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN pip install --no-cache-dir -e . \
 && DEBUG=1 python manage.py collectstatic --noinput

RUN useradd --create-home --uid 1000 app && mkdir -p /app/media && chown -R app /app/media
USER app
EXPOSE 8000
CMD ["gunicorn", "commissioning.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
