"""A fingerprint of the product's data: row count and checksum of every table of the product apps.

Taken before and after a refused write, it proves that nothing changed (history tables included).
Sessions and the sign-in throttling log are left out: they change on every visit by design.
"""

import hashlib

from django.apps import apps

PRODUCT_APPS = ("core_groups", "procurement", "growth_bids", "partnerships", "commissioning", "auth")


def fingerprint():
    tables = {}
    for label in PRODUCT_APPS:
        try:
            config = apps.get_app_config(label)
        except LookupError:
            continue
        for model in config.get_models():
            rows = list(model._base_manager.order_by("pk").values_list())
            digest = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
            tables[model._meta.db_table] = (len(rows), digest)
    return tables


def changed_tables(before, after):
    return sorted(
        f"{table}: {before.get(table, (0, '-'))[0]} -> {after.get(table, (0, '-'))[0]} rows"
        for table in set(before) | set(after)
        if before.get(table) != after.get(table)
    )
