from django.apps import AppConfig


class CoreGroupsConfig(AppConfig):
    name = "core_groups"
    verbose_name = "Partnership and core groups"

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from foundation import caching, choice_cache

        from .models import CoreGroup, Organisation, Partnership, Programme
        from .tenancy import ORGANISATIONS_NAMESPACE, PARTNERSHIPS_NAMESPACE

        # The partnerships every page reads (tenancy.partnership_by_pk, the switch's names, all ids) are cached.
        forget = caching.forgetter(PARTNERSHIPS_NAMESPACE)
        post_save.connect(forget, sender=Partnership, weak=False, dispatch_uid="partnerships-cache-save")
        post_delete.connect(forget, sender=Partnership, weak=False, dispatch_uid="partnerships-cache-delete")
        # And the signed-in person's organisation (tenancy.prime_organisation).
        forget = caching.forgetter(ORGANISATIONS_NAMESPACE)
        post_save.connect(forget, sender=Organisation, weak=False, dispatch_uid="organisations-cache-save")
        post_delete.connect(forget, sender=Organisation, weak=False, dispatch_uid="organisations-cache-delete")
        # The list pages' filters of core groups and programmes (a thousand options at ten times the bench's volumes).
        choice_cache.register(CoreGroup)
        choice_cache.register(Programme)
