"""The programme team asks for a board report as a PDF, waits for a real worker to render it, and downloads it."""

import io

import pytest
from django.conf import settings
from playwright.sync_api import expect
from pypdf import PdfReader

from commissioning.models import BoardReport, Rendering
from core_groups import roles
from tests.celery_worker import celery_worker
from tests.commissioning.report_factories import cymorth, ensure_roles
from tests.e2e.conftest import login
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.redis]


def test_evaluator_writes_a_highlight_report_renders_it_and_downloads_the_pdf(page, a11y, monkeypatch):
    ensure_roles()
    UserFactory(username="eve", first_name="Eve", roles=[roles.PROGRAMME_TEAM])
    programme = cymorth()
    monkeypatch.setenv("MEDIA_ROOT", str(settings.MEDIA_ROOT))

    login(page, "eve")
    page.get_by_role("link", name="Reports", exact=True).click()
    page.wait_for_load_state()
    expect(page.get_by_text("No reports yet.")).to_be_visible()
    a11y(page)

    page.get_by_role("link", name="New report").click()
    page.get_by_role("combobox", name="Programme").select_option(str(programme.pk))
    page.get_by_label("Project title").fill("Cymorth Commissioning")
    page.get_by_label("Senior responsible officer").fill("Neelam Bhardwaja, Corporate Manager")
    page.get_by_label("Project manager").fill("Dr Ceri George")
    page.get_by_label("Period covered from").fill("2010-03-31")
    page.get_by_label("Period covered to").fill("2009-10-01")
    background = page.get_by_role("textbox", name="Background", exact=True)
    background.fill("<script>alert(1)</script> An update for the CYPP Board.")
    page.get_by_role("button", name="Save report").click()
    page.wait_for_load_state()
    # Bad input: the error sits beside the field and what was typed stays.
    expect(page.get_by_text("The end of the period cannot be before its start.")).to_be_visible()
    assert page.get_by_label("Project title").input_value() == "Cymorth Commissioning"
    a11y(page)
    page.get_by_label("Period covered from").fill("2009-10-01")
    page.get_by_label("Period covered to").fill("2010-03-31")
    page.get_by_role("button", name="Save report").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Cymorth Commissioning")).to_be_visible()
    expect(page.get_by_text("<script>alert(1)</script> An update for the CYPP Board.")).to_be_visible()
    a11y(page)

    from commissioning.celery import app

    with celery_worker() as queue:
        previous = app.conf.task_default_queue
        app.conf.task_default_queue = queue
        try:
            page.get_by_label("Edition").select_option("public")
            page.get_by_role("button", name="Render PDF").click()
            page.wait_for_load_state()
            expect(page.get_by_text("is queued")).to_be_visible()
            # htmx polls the status until the worker has finished; no reload by the test.
            download_link = page.get_by_role("link", name="Download PDF")
            download_link.wait_for(state="visible", timeout=90000)
        finally:
            app.conf.task_default_queue = previous
    a11y(page)
    with page.expect_download() as info:
        download_link.click()
    download = info.value
    data = open(download.path(), "rb").read()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    text = "".join(p.extract_text() for p in reader.pages).replace(" ", "")
    assert "CymorthCommissioning" in text and "Publicedition" in text
    rendering = Rendering.objects.get()
    assert rendering.status == "ready" and rendering.page_count == len(reader.pages)
    assert BoardReport.objects.get().renderings.count() == 1
    assert not page.console_errors, page.console_errors
