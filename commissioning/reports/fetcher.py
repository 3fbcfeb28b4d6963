"""The only URL fetcher WeasyPrint gets: no network while rendering.

A report is drawn from its snapshot and the product's own files. data: URIs and files under the
product's static folders are allowed; anything else (http, https, ftp, a file elsewhere on the disk)
is refused, so text typed into a report can never make the server fetch something.
"""

import logging
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.conf import settings
from weasyprint import default_url_fetcher

logger = logging.getLogger(__name__)


class FetchRefused(ValueError):
    pass


def allowed_roots():
    roots = [Path(settings.BASE_DIR) / "static", Path(__file__).resolve().parent / "static"]
    return [r.resolve() for r in roots]


def restricted_url_fetcher(url, timeout=10, ssl_context=None, http_headers=None, **kwargs):
    if url.startswith("data:"):
        return default_url_fetcher(url, timeout=timeout)
    parsed = urlparse(url)
    if parsed.scheme == "file" and not parsed.netloc:
        path = Path(unquote(parsed.path)).resolve()
        if any(path.is_relative_to(root) for root in allowed_roots()) and path.is_file():
            return default_url_fetcher(url, timeout=timeout)
    logger.warning("Report rendering refused to fetch %s", url)
    raise FetchRefused(f"Reports never fetch from the network or outside the product's files: {url}")
