"""The Celery application. Tasks live in each app's tasks.py and are found by autodiscovery.

Settings come from Django's settings with the CELERY_ prefix (see settings.py): JSON only, time
limits, late acknowledgement, and the django-celery-beat database scheduler so that
administrators edit schedules in Django admin.
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commissioning.settings")

app = Celery("commissioning")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
