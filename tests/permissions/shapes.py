"""The two access shapes the plain matrix misses (issue 19, "Access"), found from the table itself:

- which record a row's URL is about: the builder (tests/permissions/objects.py) its kwargs call first;
- the parents a record is scoped through: its foreign keys and generic scope (content type + id), followed up
  to the nearest record that has a page of its own in the table (PARENT_PAGES).

tests/permissions/test_access_shapes.py uses these to walk every status a bid goes through and every child URL
of a project, a service, a core group or a bid, for every persona.
"""

from contextlib import contextmanager

from django.contrib.contenttypes.fields import GenericForeignKey
from django.urls import reverse

from tests.permissions import objects
from tests.permissions.expectations import RULES

# The page that says who may see a record of each parent model (the "detail" row of the table).
PARENT_PAGES = {
    "procurement.procurementproject": "procurement:project_detail",
    "core_groups.commission": "core_groups:commission",
    "core_groups.coregroup": "core_groups:group",
    "core_groups.programme": "core_groups:programme",
    "growth_bids.bid": "growth_bids:bid_detail",
    "growth_bids.fundinground": "growth_bids:round_detail",
    "commissioning.boardreport": "reports:detail",
}
# Foreign keys that are not scopes (who made or owns a record, reference data).
NOT_SCOPES = {"core_groups.user", "core_groups.organisation", "contenttypes.contenttype", "core_groups.partnership"}


def label(obj_or_model):
    meta = obj_or_model._meta
    return f"{meta.app_label}.{meta.model_name}"


@contextmanager
def _recording():
    """Record the builders a row's kwargs call directly (not those a builder calls in turn), in order."""
    calls = []
    depth = [0]
    originals = {}
    for name in dir(objects):
        builder = getattr(objects, name)
        if getattr(builder, "builder", False):
            originals[name] = builder

            def recorder(p, _builder=builder, _name=name):
                if depth[0] == 0:
                    calls.append(_name)
                depth[0] += 1
                try:
                    return _builder(p)
                finally:
                    depth[0] -= 1

            setattr(objects, name, recorder)
    try:
        yield calls
    finally:
        for name, builder in originals.items():
            setattr(objects, name, builder)


def url_objects(personas, prefix=""):
    """Each row with kwargs whose key starts with ``prefix`` -> (the builder of the record its URL is about, the
    kwarg naming it, the record, all the kwargs). With two kwargs (a project and its task) the record is the one the
    inner kwarg names."""
    found = {}
    for key, rule in sorted(RULES.items()):
        if rule.kwargs is None or key.startswith("admin:") or not key.startswith(prefix):
            continue
        with _recording() as calls:
            kwargs = rule.kwargs(personas)
        if not calls or len(calls) != len(kwargs):
            continue
        # kwargs are built in the order the builders were called: pair them up; the last is the most specific.
        builder, (name, value) = calls[-1], list(kwargs.items())[-1]
        record = getattr(objects, builder)(personas)
        if getattr(record, "pk", None) == value:
            found[key] = (builder, name, record, kwargs)
    return found


def parents(record, depth=3):
    """The nearest records with a page of their own that ``record`` is scoped through (label, parent)."""
    found = []
    for field in record._meta.concrete_fields:
        if not field.many_to_one or label(field.related_model) in NOT_SCOPES:
            continue
        parent = getattr(record, field.name, None)
        if parent is None:
            continue
        if label(parent) in PARENT_PAGES:
            found.append((label(parent), parent))
        elif depth > 1:
            found.extend(parents(parent, depth - 1))
    for field in record._meta.private_fields:
        if isinstance(field, GenericForeignKey):
            parent = getattr(record, field.name, None)
            if parent is not None and label(parent) in PARENT_PAGES:
                found.append((label(parent), parent))
    unique = {}
    for pair in found:
        unique.setdefault((pair[0], pair[1].pk), pair)
    return list(unique.values())


def parent_url(parent_label, parent):
    return reverse(PARENT_PAGES[parent_label], kwargs={"pk": parent.pk})
