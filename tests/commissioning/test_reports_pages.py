"""Board report pages with the personas: who reads, who writes and renders, who downloads which edition."""

import pytest
from django.urls import reverse

from commissioning.models import BoardReport, Rendering
from commissioning.reports import services
from core_groups.models import Programme
from tests.commissioning.report_factories import cymorth, highlight_report
from tests.factories import home_partnership


def client_for(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def setup(personas, django_capture_on_commit_callbacks):
    programme = cymorth(members=[personas.member, personas.provider])
    report = highlight_report(programme=programme, user=personas.evaluator)
    renderings = {}
    for edition in ["internal", "public"]:
        with django_capture_on_commit_callbacks(execute=True):
            rendering, _ = services.rendering_request(report=report, user=personas.evaluator, edition=edition)
        rendering.refresh_from_db()
        assert rendering.status == "ready", rendering.reason
        renderings[edition] = rendering
    return report, renderings


@pytest.mark.django_db
def test_who_downloads_which_edition(client, personas, setup):
    report, renderings = setup
    # Another programme's member does not see Cymorth at all.
    other = Programme.objects.create(name="Supporting People", first_year=2009, partnership=home_partnership())
    assert other
    expected = {
        "evaluator": {"internal": 200, "public": 200},
        "admin": {"internal": 200, "public": 200},
        "body": {"internal": 200, "public": 200},
        "member": {"internal": 200, "public": 200},
        "provider": {"internal": 404, "public": 200},  # providers never get the internal edition
        "outsider": {"internal": 404, "public": 404},
        "officer": {"internal": 404, "public": 404},
    }
    for who, editions in expected.items():
        client.force_login(personas[who])
        for edition, status in editions.items():
            response = client.get(reverse("reports:download", args=[renderings[edition].pk]))
            assert response.status_code == status, (who, edition, response.status_code)
            if status == 200:
                assert response["Content-Type"] == "application/pdf"
                body = b"".join(response.streaming_content)
                assert body.startswith(b"%PDF-")
                assert response["X-Content-SHA256"] == renderings[edition].sha256
        client.logout()


@pytest.mark.django_db
def test_a_core_group_member_of_another_programme_cannot_see_the_report(client, personas, setup):
    report, renderings = setup
    from tests.factories import UserFactory

    stranger = UserFactory(username="stranger", roles=["Core group member"])
    client.force_login(stranger)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404
    assert client.get(reverse("reports:download", args=[renderings["public"].pk])).status_code == 404
    assert report.title not in client.get(reverse("reports:list")).content.decode()


@pytest.mark.django_db
def test_report_page_shows_ready_renders_and_history(client, personas, setup):
    report, renderings = setup
    page = client_for(client, personas.evaluator).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "Download PDF" in page and "Render history" in page
    assert reverse("reports:download", args=[renderings["internal"].pk]) in page
    assert "hx-trigger" not in page  # nothing to wait for: no polling
    client.logout()
    page = client_for(client, personas.provider).get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert reverse("reports:download", args=[renderings["internal"].pk]) not in page
    assert reverse("reports:download", args=[renderings["public"].pk]) in page
    assert "Render PDF" not in page  # readers do not render


@pytest.mark.django_db
def test_a_queued_render_is_polled_and_a_failed_one_offers_a_retry(client, personas):
    report = highlight_report(user=personas.evaluator)
    queued = Rendering.objects.create(report=report, edition="internal", requested_by=personas.evaluator)
    client.force_login(personas.evaluator)
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert 'hx-get="' + reverse("reports:status", args=[report.pk]) in page
    assert 'hx-trigger="every 2s"' in page and "Queued since" in page
    Rendering.objects.filter(pk=queued.pk).update(status="failed", reason="The renderer stopped.")
    partial = client.get(reverse("reports:status", args=[report.pk])).content.decode()
    assert "The render failed: The renderer stopped." in partial and "Try again" in partial
    assert "hx-trigger" not in partial  # polling stops once nothing is waiting


@pytest.mark.django_db
def test_render_button_queues_and_a_second_press_joins(client, personas):
    report = highlight_report(user=personas.evaluator)
    client.force_login(personas.evaluator)
    # The test's transaction never commits, so the task is never sent: the render stays queued.
    url = reverse("reports:render", args=[report.pk])
    r1 = client.post(url, {"edition": "public"}, follow=True)
    r2 = client.post(url, {"edition": "public"}, follow=True)
    assert "is queued" in r1.content.decode()
    assert "already under way" in r2.content.decode()
    assert report.renderings.count() == 1


@pytest.mark.django_db
def test_readers_cannot_render_or_edit(client, personas):
    report = highlight_report(programme=cymorth(members=[personas.member]), user=personas.evaluator)
    for who in ["body", "member"]:
        client.force_login(personas[who])
        assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
        assert client.post(reverse("reports:render", args=[report.pk])).status_code == 403
        assert client.get(reverse("reports:edit", args=[report.pk])).status_code == 403
        assert client.get(reverse("reports:create")).status_code == 403
    assert not report.renderings.exists()


def form_data(programme, **overrides):
    data = {
        "kind": "highlight",
        "programme": programme.pk,
        "title": "Cymorth Commissioning",
        "senior_responsible_officer": "Neelam Bhardwaja",
        "project_manager": "Dr Ceri George",
        "period_start": "2009-10-01",
        "period_end": "2010-03-31",
        "board": "CYPP Board",
        "meeting_date": "2010-03-12",
        "classification": "Unrestricted",
        "edition": "internal",
        "sections": ["background", "money_position"],
        "background": "<b>Typed</b> background",
    }
    data.update(overrides)
    return data


@pytest.mark.django_db
def test_bad_input_is_shown_beside_the_field_and_nothing_is_saved(client, personas):
    programme = cymorth()
    client.force_login(personas.evaluator)
    url = reverse("reports:create")
    response = client.post(url, form_data(programme, period_end="2009-01-01", title="Typed title"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "The end of the period cannot be before its start." in page
    assert 'value="Typed title"' in page
    response = client.post(url, form_data(programme, sections=[]))
    assert "Choose at least one section." in response.content.decode()
    response = client.post(url, form_data(programme, sections=["ranking"]))
    assert "Not a section of a highlight report" in response.content.decode()
    assert not BoardReport.objects.exists()


@pytest.mark.django_db
def test_create_then_edit_and_a_stale_edit_is_refused(client, personas):
    programme = cymorth()
    client.force_login(personas.evaluator)
    response = client.post(reverse("reports:create"), form_data(programme))
    report = BoardReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report.get_absolute_url()
    page = client.get(report.get_absolute_url()).content.decode()
    assert "&lt;b&gt;Typed&lt;/b&gt; background" in page  # HTML shown as text
    edit = reverse("reports:edit", args=[report.pk])
    assert client.post(edit, form_data(programme, title="Second title", version=1)).status_code == 302
    response = client.post(edit, form_data(programme, title="Stale title", version=1))
    assert "changed this report" in response.content.decode()
    assert "while you were editing it" in response.content.decode()
    report.refresh_from_db()
    assert report.title == "Second title" and report.version == 2


@pytest.mark.django_db
def test_report_list_filters_sorts_and_has_an_empty_state(client, personas):
    programme = cymorth(members=[personas.member])
    highlight_report(programme=programme, user=personas.evaluator, title="Alpha report")
    highlight_report(programme=programme, user=personas.evaluator, title="Beta report")
    client.force_login(personas.member)
    page = client.get(reverse("reports:list") + "?sort=-title").content.decode()
    assert page.index("Beta report") < page.index("Alpha report")
    page = client.get(reverse("reports:list") + "?title=alpha").content.decode()
    assert "Alpha report" in page and "Beta report" not in page
    page = client.get(reverse("reports:list") + "?title=zzz").content.decode()
    assert "No reports match these filters" in page
    client.force_login(personas.outsider)
    assert client.get(reverse("reports:list")).status_code == 403
