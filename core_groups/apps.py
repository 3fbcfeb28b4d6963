from django.apps import AppConfig


class CoreGroupsConfig(AppConfig):
    name = "core_groups"
    verbose_name = "Partnership and core groups"

    def ready(self):
        from foundation import caching, choice_cache

        from .models import CoreGroup, Organisation, Partnership, Programme
        from .tenancy import ORGANISATIONS_NAMESPACE, PARTNERSHIPS_NAMESPACE

        # The partnerships every page reads (tenancy.partnership_by_pk, the switch's names, all ids) are cached.
        caching.forget_when_changed(PARTNERSHIPS_NAMESPACE, Partnership)
        # And the signed-in person's organisation (tenancy.prime_organisation).
        caching.forget_when_changed(ORGANISATIONS_NAMESPACE, Organisation)
        # The list pages' filters of core groups and programmes (a thousand options at ten times the bench's volumes).
        choice_cache.register(CoreGroup)
        choice_cache.register(Programme)
        # Organisations are offered within the partnership: its members (every form's choices, choices.limit).
        choice_cache.register(Organisation, Partnership.organisations.through)
