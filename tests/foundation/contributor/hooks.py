"""A stand-in upper app for tests/foundation/test_extensions.py: answers a hook with two snippets, out of order."""

from foundation.extensions import Snippet


def thing_page_links(user, thing):
    return [
        Snippet("contributor/snippet.html", {"text": f"second for {thing}"}, order=20),
        Snippet("contributor/snippet.html", {"text": f"first for {user.username}"}, order=10),
    ]
