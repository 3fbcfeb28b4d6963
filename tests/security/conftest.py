import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The sweeps build the personas for every case: hash their passwords cheaply (never in production)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
