"""Demo data for trying the product: `manage.py seed_demo`.

Idempotent: running it twice leaves one copy of everything. Each app adds its own part in
``<app>/demo.py`` (``seed(out)``), called here lowest layer first. Refuses to run with DEBUG off
unless --force is given, so it never fills a live database by accident.
"""

from importlib import import_module

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

SEED_ORDER = ["core_groups", "procurement", "growth_bids", "partnerships", "review", "commissioning"]


class Command(BaseCommand):
    help = "Create the demo organisations, logins and records (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("DEBUG is off: this looks like a live system. Use --force to seed demo data anyway.")
        for app in [a for a in SEED_ORDER if a in settings.PRODUCT_APPS]:
            try:
                module = import_module(f"{app}.demo")
            except ModuleNotFoundError as exc:
                if exc.name in (f"{app}.demo", app):
                    continue
                raise
            with transaction.atomic():
                module.seed(self.stdout)
        from core_groups.demo import print_logins

        print_logins(self.stdout)
