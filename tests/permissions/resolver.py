"""Every URL pattern of the product, read from Django's resolver.

The permission matrix, the CSRF test, the CSP test and the accessibility sweep all start here, so a
view added to any app's urls.py is seen by all of them without anyone listing it by hand.
"""

import re
import uuid
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Django's admin is one namespace of generated views, guarded by is_staff and model permissions. The
# matrix covers the admin pages named in expectations.RULES (the index, the timetable editor); the
# CSRF and CSP sweeps cover every admin page.
ADMIN_NAMESPACE = "admin"
# Callbacks that serve files in development only (django.views.static.serve and friends).
SKIPPED_MODULES = ("django.views.static", "django.contrib.staticfiles.views")


@dataclass(frozen=True)
class Endpoint:
    key: str  # "namespace:name", or the route itself for an unnamed pattern
    route: str
    pattern: URLPattern
    namespace: str = ""

    @property
    def is_admin(self):
        return self.namespace.split(":")[0] == ADMIN_NAMESPACE

    @property
    def converters(self):
        return dict(getattr(self.pattern.pattern, "converters", {}))

    @property
    def needs_kwargs(self):
        return bool(re.search(r"<|\(\?P<", self.route))

    def __str__(self):
        return f"{self.key} (/{self.route})"


def _walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = namespace
            if entry.namespace:
                ns = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            yield from _walk(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            module = getattr(entry.callback, "__module__", "") or ""
            if module.startswith(SKIPPED_MODULES):
                continue
            route = prefix + str(entry.pattern)
            if entry.name:
                key = f"{namespace}:{entry.name}" if namespace else entry.name
            else:
                key = route
            yield Endpoint(key=key, route=route, pattern=entry, namespace=namespace)


def endpoints(include_admin=False, admin_keys=()):
    """Every endpoint once (the first pattern wins when two share a name, as reverse() does).

    Admin endpoints are left out unless include_admin, or unless their key is in admin_keys.
    """
    seen = {}
    for endpoint in _walk(get_resolver().url_patterns):
        if endpoint.is_admin and not include_admin and endpoint.key not in admin_keys:
            continue
        seen.setdefault(endpoint.key, endpoint)
    return list(seen.values())


def all_endpoints():
    return endpoints(include_admin=True)


def _regex_to_path(regex, kwargs):
    """Turn an admin regex route such as ^(?P<app_label>a|b)/$ into a concrete path."""
    path = regex.replace("^", "").replace("$", "").replace("\\Z", "").replace("\\", "")

    def group(match):
        name, body = match.group(1), match.group(2)
        if name in kwargs:
            return str(kwargs[name])
        return body.split("|")[0]

    return re.sub(r"\(\?P<(\w+)>([^)]*)\)", group, path)


SAMPLE_VALUES = {"int": "1", "str": "sample", "slug": "sample", "path": "sample/1", "uuid": str(uuid.UUID(int=1))}


def sample_path(endpoint, kwargs=None):
    """A concrete path for an endpoint: real kwargs where given, plausible placeholders elsewhere.

    Enough for checks that run before the view (CSRF) or that only need the URL to resolve.
    """
    kwargs = dict(kwargs or {})
    route = endpoint.route
    out = []
    for piece in re.split(r"(<[^>]+>)", route):
        m = re.fullmatch(r"<(?:(\w+):)?(\w+)>", piece)
        if m:
            conv, name = m.group(1) or "str", m.group(2)
            out.append(str(kwargs.get(name, SAMPLE_VALUES.get(conv, "1"))))
        else:
            out.append(piece)
    path = "".join(out)
    if "(?P<" in path or path.startswith("^") or "$" in path:
        path = "".join(_regex_to_path(part, kwargs) for part in [path])
    return "/" + path
