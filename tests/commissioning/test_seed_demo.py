import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from core_groups.demo import DEMO_PASSWORD, LOGINS
from core_groups.models import Organisation, User

pytestmark = pytest.mark.django_db


def test_seed_demo_is_idempotent_and_prints_the_logins(capsys, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    first = (Organisation.objects.count(), User.objects.count())
    call_command("seed_demo")
    assert (Organisation.objects.count(), User.objects.count()) == first
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for username, *_ in LOGINS:
        assert username in out
    kent = Organisation.objects.filter(name__endswith="Council", identifier__startswith="GB-LAE").count()
    assert kent >= 13
    assert Organisation.objects.get(name="Asist").is_provider


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_demo")
    call_command("seed_demo", "--force")
    assert User.objects.filter(username="officer").exists()


def test_each_demo_login_reaches_its_dashboard(client, settings):
    settings.DEBUG = True
    settings.AXES_ENABLED = False
    call_command("seed_demo")
    for username, *_ in LOGINS:
        client.logout()
        response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
        assert response.status_code == 302, username
        page = client.get(reverse("home"))
        assert page.status_code == 200, username
        assert b"Welcome" in page.content
