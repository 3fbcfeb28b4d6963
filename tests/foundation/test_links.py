"""Every link in an email is built from SITE_URL, never from the request's Host header; subjects are plain text."""

import os
import re
import subprocess

import pytest
from django.template import Context, Template

from foundation import links, mail
from tests.services import ROOT

SITE = "https://commissioning.example.gov.uk"


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"  # a trailing slash never doubles up


def test_absolute_links_are_built_from_site_url():
    assert links.site_url() == SITE
    assert links.absolute_url("/bids/3/") == f"{SITE}/bids/3/"
    assert links.absolute_url("bids/3/") == f"{SITE}/bids/3/"
    assert links.absolute_reverse("growth_bids:bid_detail", 3) == f"{SITE}/bids/3/"
    rendered = Template("{% load site_links %}{% absolute_url 'growth_bids:bid_detail' 7 %} {{ p|absolute }}").render(
        Context({"p": "/reports/"})
    )
    assert rendered == f"{SITE}/bids/7/ {SITE}/reports/"


@pytest.mark.django_db
def test_the_password_reset_link_ignores_a_forged_host_header(client, settings, mailoutbox, personas):
    # Even where ALLOWED_HOSTS lets the forged host through, the link in the email points at SITE_URL.
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "evil.example"]
    response = client.post("/accounts/password_reset/", {"email": personas.officer.email}, HTTP_HOST="evil.example")
    assert response.status_code == 302
    (email,) = mailoutbox
    link = re.search(r"https?://\S+", email.body).group(0)
    assert link.startswith(f"{SITE}/accounts/reset/")
    assert "evil.example" not in email.body
    # And the link works.
    confirm = client.get(link.removeprefix(SITE))
    assert confirm.status_code == 302 and confirm["Location"].endswith("/set-password/")


@pytest.mark.django_db
def test_decision_emails_link_to_site_url(personas, settings, mailoutbox, django_capture_on_commit_callbacks):
    from growth_bids import services

    from .rounds import round_ready_to_publish

    funding_round, expected = round_ready_to_publish(personas)
    with django_capture_on_commit_callbacks(execute=True):
        services.round_publish_decisions(funding_round=funding_round, by=personas.body)
    assert len(mailoutbox) == len(expected) == 8
    text_links = {re.search(r"https?://\S+", m.body).group(0) for m in mailoutbox}
    html_links = {re.search(r'href="([^"]+)"', m.alternatives[0][0]).group(1) for m in mailoutbox}
    assert text_links == html_links == {f"{SITE}/bids/{bid.pk}/" for bid, _ in expected}


def test_subjects_and_text_bodies_are_plain_text_and_html_is_escaped(tmp_path, settings):
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]},
    ]
    (tmp_path / "notice_subject.txt").write_text("Due:\n  {{ title }}\n")
    (tmp_path / "notice.txt").write_text("Task: {{ title }}\n")
    (tmp_path / "notice.html").write_text("<p>Task: {{ title }}</p>")
    content = mail.render_email("notice", {"title": "Terms & Conditions <draft>"})
    assert content.subject == "Due: Terms & Conditions <draft>"
    assert content.body == "Task: Terms & Conditions <draft>\n"
    assert content.html == "<p>Task: Terms &amp; Conditions &lt;draft&gt;</p>"


def test_make_serve_sets_site_url_to_the_address_it_serves():
    env = {k: v for k, v in os.environ.items() if k != "SITE_URL"}
    dry = subprocess.run(
        ["make", "-n", "serve", "HOST=0.0.0.0", "PORT=8123"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert dry.returncode == 0, dry.stderr
    assert "SITE_URL=http://0.0.0.0:8123 " in dry.stdout and "runserver 0.0.0.0:8123" in dry.stdout
    explicit = subprocess.run(
        ["make", "-n", "serve", "SITE_URL=https://c.example.gov.uk"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert "SITE_URL=https://c.example.gov.uk " in explicit.stdout
