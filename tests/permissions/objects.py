"""Builders for the records a URL's kwargs point at, owned so that each persona has its part to play.

Every builder takes the personas (tests.factories.make_personas()) and returns one saved object. The
"owning organisation" is personas.home (the officer's and the member's organisation); the core group
below has the member and the provider user in it. A builder caches its object on the personas, so two
URLs of one rule (or one kwargs and one POST payload) share the same record.

Add builders here as the apps land (bid, round, project, timetable, report ...), then use them in
expectations.py: ``kwargs=lambda p: {"pk": objects.core_group(p).pk}``.
"""

from core_groups.models import Commission, CoreGroup, CoreGroupMembership, Programme


def _cached(name):
    def decorator(build):
        def wrapper(p):
            cache = p.setdefault("_objects", {})
            if name not in cache:
                cache[name] = build(p)
            return cache[name]

        wrapper.__name__ = build.__name__
        wrapper.__doc__ = build.__doc__
        return wrapper

    return decorator


@_cached("programme")
def programme(p):
    return Programme.objects.create(name="Supporting People", lead_organisation=p.home, first_year=2010)


@_cached("core_group")
def core_group(p):
    """A core group with the member (owning organisation) and the provider user in it."""
    group = CoreGroup.objects.create(programme=programme(p), name="Young people", lead_support_officer=p.evaluator)
    CoreGroupMembership.objects.create(core_group=group, user=p.member, role="Chair")
    CoreGroupMembership.objects.create(core_group=group, user=p.provider, role="Member")
    return group


@_cached("other_core_group")
def other_core_group(p):
    """A core group none of the personas belongs to."""
    return CoreGroup.objects.create(programme=programme(p), name="Older people")


@_cached("commission")
def commission(p):
    return Commission.objects.create(core_group=core_group(p), title="Floating support", lead_officer=p.officer)
