"""A partnership's own email templates (issue 15): edited in admin with a preview, used for the partnership's
events, sandboxed, and a broken one falls back to the product's own wording and is reported, never a 500.
And the language path: each email is rendered in its recipient's language (English only today)."""

import pytest
from django.urls import reverse

from core_groups import email_templates
from core_groups.models import EmailTemplate
from foundation import mail
from foundation import notifications as foundation_notifications
from foundation.models import Notification, NotificationSettings, OutboxMessage
from growth_bids import notifications
from tests.factories import PartnershipFactory, home_partnership
from tests.growth_bids.helpers import make_round

pytestmark = pytest.mark.django_db

SITE = "https://bids.example.gov.uk"
KIND = notifications.ROUND_OPENED


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE + "/"


def ours(**fields):
    defaults = {
        "partnership": home_partnership(),
        "kind": KIND.name,
        "subject": "Bid now: {{ round }} ({{ partnership }})",
        "body": "Dear partner,\n\n{{ round }} is open for bids until {{ round.closes_at|date:'j F Y' }}.\n\n"
        "Apply here: {{ link_url }}",
    }
    return EmailTemplate.objects.create(**{**defaults, **fields})


def invitation(personas):
    return OutboxMessage.objects.get(
        key__startswith=f"notifications.{KIND.name}:", recipient=personas.officer.email
    ).payload


def test_the_partnerships_own_wording_is_used_with_the_footer(personas):
    ours()
    funding_round = make_round()
    payload = invitation(personas)
    assert payload["subject"] == f"Bid now: {funding_round} ({home_partnership()})"
    assert payload["body"].startswith("Dear partner,")
    assert f"{SITE}/bids/rounds/{funding_round.pk}/" in payload["body"]
    assert "You got this email because" in payload["body"]  # the footer is always the product's
    assert "Dear partner," in payload["html"]
    assert Notification.objects.get(recipient=personas.officer, kind=KIND.name).title.startswith("Bid now:")


def test_another_partnerships_wording_is_never_used_here(personas):
    ours(partnership=PartnershipFactory(short_name="elsewhere", name="Elsewhere"), subject="Elsewhere's words")
    ours(active=False, subject="Switched off")
    make_round()
    subject = invitation(personas)["subject"]
    assert "Elsewhere" not in subject and "Switched off" not in subject
    assert "opened" in subject.lower() or "open" in subject.lower()


@pytest.mark.parametrize(
    "subject",
    [
        "{{ round|no_such_filter }}",  # a syntax error saved behind the form's back
        "{% if round %}",  # an unclosed tag
        "{{ nothing_at_all }}",  # comes out empty
        "{% load static %}{% static 'x' %}",  # a library: refused by the sandbox
        "{% include 'base.html' %}",  # a file: refused by the sandbox
    ],
)
def test_a_broken_template_falls_back_to_the_products_own_and_is_reported(personas, subject):
    template = ours(subject=subject)
    make_round()
    payload = invitation(personas)
    assert "Dear partner" not in payload["body"]  # the product's own wording was sent
    assert "You got this email because" in payload["body"]
    template.refresh_from_db()
    assert template.problem


def test_the_sandbox_calls_no_method_and_dumps_nothing(personas):
    funding_round = make_round(open_it=False)
    context = {"round": funding_round, "criteria": list(funding_round.criteria.all())}
    text = email_templates.render_text(
        "[{{ round.delete }}][{{ round.save }}][{{ round.programme.partnership.organisations.all }}]"
        "[{{ round.title }}][{{ round.get_status_display }}][{{ criteria.0.code }}][{{ round.programme.delete }}]",
        context,
    )
    assert text == f"[][][][{funding_round.title}][{funding_round.get_status_display()}][a][]"
    assert funding_round.__class__.objects.filter(pk=funding_round.pk).exists()
    for tag in (
        "{{ round.__class__ }}",
        "{% debug %}",
        "{% load static %}",
        "{% include 'base.html' %}",
        "{% extends 'base.html' %}",
    ):
        assert email_templates.check(tag, "body")["subject"]


def test_admin_adds_a_template_shows_its_preview_and_refuses_a_broken_one(client, personas):
    client.force_login(personas.admin)
    add = reverse("admin:core_groups_emailtemplate_add")
    assert client.get(add).status_code == 200
    form = {
        "partnership": home_partnership().pk,
        "kind": KIND.name,
        "language": "en",
        "subject": "{% if round %}",
        "body": "{{ round }}",
        "active": "on",
    }
    refused = client.post(add, form)
    assert refused.status_code == 200
    assert "This is not a template that can be used" in refused.content.decode()
    assert not EmailTemplate.objects.exists()
    saved = client.post(add, {**form, "subject": "Bid now: {{ round.title }}"})
    assert saved.status_code == 302
    template = EmailTemplate.objects.get()
    page = client.get(reverse("admin:core_groups_emailtemplate_change", args=[template.pk])).content.decode()
    assert "Bid now: [round.title]" in page  # the preview names each field
    assert "{{ criteria }}" in page  # the fields the event gives
    # A template broken in the database still shows its page, with the problem, never a 500.
    EmailTemplate.objects.filter(pk=template.pk).update(subject="{{ round|no_such_filter }}")
    page = client.get(reverse("admin:core_groups_emailtemplate_change", args=[template.pk]))
    assert page.status_code == 200 and "TemplateSyntaxError" in page.content.decode()


def test_each_email_is_rendered_in_its_recipients_language(personas, client):
    # The field and the path exist; English is the only language today, and an unknown one reads English.
    client.force_login(personas.officer)
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "Language of your emails" in page
    choices = {kind.name: "email" for kind in foundation_notifications.kinds()}
    assert client.post(reverse("notifications:preferences"), {**choices, "language": "en"}).status_code == 302
    assert NotificationSettings.objects.get(user=personas.officer).language == "en"
    NotificationSettings.objects.update_or_create(user=personas.other_officer, defaults={"language": "cy"})
    assert foundation_notifications.language_of([personas.officer.pk, personas.other_officer.pk, personas.body.pk]) == {
        personas.officer.pk: "en",
        personas.other_officer.pk: "cy",
        personas.body.pk: "en",
    }
    assert mail.language_template(KIND.template, "cy") == KIND.template  # no Welsh trio yet: English
    ours(language="cy", subject="Cynigiwch nawr: {{ round }}")
    funding_round = make_round()
    subjects = dict(
        OutboxMessage.objects.filter(key__startswith=f"notifications.{KIND.name}:").values_list(
            "recipient", "payload__subject"
        )
    )
    assert subjects[personas.other_officer.email] == f"Cynigiwch nawr: {funding_round}"
    assert not subjects[personas.officer.email].startswith("Cynigiwch")


def test_the_sandbox_shows_a_persons_name_never_their_password_or_rights(personas):
    person = personas.officer
    text = email_templates.render_text(
        "[{{ who.first_name }}][{{ who.password }}][{{ who.is_superuser }}][{{ who.last_login }}][{{ who.id }}]",
        {"who": person},
    )
    assert text == f"[{person.first_name}][][][][]"
    assert person.password and person.password not in text
