"""The bottom layer: infrastructure every app shares and no app owns.

Editing with a version check, spreadsheets, uploads, the extension registry (navigation, dashboard
panels, template hooks), the outbox. Nothing here imports a product app; every product app may import this.
"""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class FoundationConfig(AppConfig):
    name = "foundation"
    verbose_name = "Foundation"

    def ready(self) -> None:
        # The outbox's own email handler, then each app's handlers (<app>/outbox_handlers.py), so a web
        # process and a worker know the same kinds.
        from . import mail  # noqa: F401
        from .forms import install_date_bounds

        install_date_bounds()

        # Every write through Django's connection forgets the kept pages (foundation/page_cache.py).
        from . import page_cache

        page_cache.install()

        from django.contrib.auth.signals import user_logged_in

        from .sessions import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="foundation.sessions.start_idle_clock")

        autodiscover_modules("outbox_handlers")
        # Each app's kinds of notification (<app>/notifications.py registers them; foundation/notifications.py).
        autodiscover_modules("notifications")
        # Each app's spreadsheet imports that may run as a job (<app>/import_runners.py; foundation/imports.py).
        from . import imports  # noqa: F401 - registers the outbox handler that runs a job

        autodiscover_modules("import_runners")
