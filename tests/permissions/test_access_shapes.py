"""The permission matrix's two access shapes (issue 19, "Access": 27 leaks the plain matrix did not catch).

1. Status changes never widen who may read a record. Bids are walked through every status they can reach (a
   draft; a draft withdrawn before it was ever submitted; submitted; withdrawn after submission) while their
   round goes open -> closed -> evaluated -> decided. At each step every persona, at home and in another
   partnership, opens every page the table has about a bid, and the round's and the Body's lists: a bid never
   submitted is its applicant's alone; a submitted one is read by no one outside the bid's readers in the table.

2. A record scoped through a parent is seen as its parent is. Every row of the table whose URL is about a record
   (found from the row's kwargs builder) is followed to the records it is scoped through (its foreign keys and
   generic scope, up to the nearest record with a page of its own); risks are also raised on a procurement
   project and on a service. A persona refused the parent's page is refused the child's page too.
"""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from growth_bids import services
from tests.growth_bids.helpers import bid_data, close_round, moderate, submitted_bid
from tests.permissions import cross, objects, shapes
from tests.permissions.expectations import PERSONAS, RULES

pytestmark = pytest.mark.django_db

EVERYONE = PERSONAS + cross.CROSS_PERSONAS
APPLICANT = "officer"  # the bids' author, an officer of the applicant
LISTS = ("growth_bids:round_detail", "growth_bids:body_list")  # the pages that list a round's bids


@pytest.fixture
def world(personas):
    personas.update(cross.make_cross_personas())
    return personas


class Browser:
    """GETs as each persona, with the answers cached for one state of the world."""

    def __init__(self, client, world):
        self.client, self.world = client, world
        self.current = None

    def get(self, persona, url):
        if persona != self.current:
            self.client.logout()
            if persona != "anonymous":
                self.client.force_login(self.world[persona])
            self.current = persona
        return self.client.get(url)


def _text(response):
    if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
        return ""
    return response.content.decode()


# --------------------------------------------------------------------------------------------------
# 1. Status changes


def bid_pages(world):
    """Every row of the table about a bid (its kwargs name the bid builder) that answers a GET to someone."""
    rows = shapes.url_objects(world, prefix="growth_bids:")
    return sorted(
        (key, name)
        for key, (builder, name, _record, _kwargs) in rows.items()
        if builder == "bid" and any(status == 200 for status in RULES[key].get.values())
    )


def test_no_status_a_bid_or_its_round_reaches_widens_who_reads_it(client, world):
    readers = {persona for persona, status in RULES["growth_bids:bid_detail"].get.items() if status == 200}
    assert APPLICANT in readers and "evaluator" in readers
    pages = bid_pages(world)
    assert {"growth_bids:bid_detail", "growth_bids:bid_update"} <= {key for key, _name in pages}
    funding_round = objects.funding_round(world)
    officer = world.officer
    supporters = [(world.other, world.other_officer)]

    def draft(title):
        return services.bid_create(funding_round=funding_round, by=officer, data=bid_data(funding_round, title=title))

    bids = {"a draft": (draft("Never sent draft"), False)}
    withdrawn = draft("Draft withdrawn unsent")
    bids["a draft withdrawn before it was submitted"] = (services.bid_withdraw(bid=withdrawn, by=officer), False)
    sent = submitted_bid(funding_round, officer, supporters=supporters, title="Sent bid")
    bids["a submitted bid"] = (sent, True)
    taken_back = submitted_bid(funding_round, officer, supporters=supporters, title="Sent then withdrawn")
    bids["a bid withdrawn after it was submitted"] = (services.bid_withdraw(bid=taken_back, by=officer), True)

    def check(phase):
        browser = Browser(client, world)
        lists = [reverse(key, kwargs={"pk": funding_round.pk}) for key in LISTS]
        leaks = []
        for persona in EVERYONE:
            hidden = {
                what: bid
                for what, (bid, ever_submitted) in bids.items()
                if persona not in (readers if ever_submitted else {APPLICANT})
            }
            for what, bid in hidden.items():
                for key, name in pages:
                    if browser.get(persona, reverse(key, kwargs={name: bid.pk})).status_code == 200:
                        leaks.append(f"{phase}: {persona} reads {what} at {key} (200)")
            for url in lists if hidden else []:
                text = _text(browser.get(persona, url))
                leaks.extend(
                    f"{phase}: {persona} sees the title of {what} on {url}"
                    for what, bid in hidden.items()
                    if bid.title in text
                )
        assert not leaks, "\n".join(leaks)

    check("round open")
    close_round(funding_round)
    check("round closed")
    for bid in funding_round.bids.filter(status="submitted"):
        moderate(bid, world.evaluator)
    funding_round = services.round_mark_evaluated(funding_round=funding_round)  # on the way: not a reader's change
    for bid in funding_round.bids.filter(status="submitted"):
        services.decision_record(
            reason="As minuted by the Body.",
            bid=bid,
            by=world.body,
            outcome="funded" if bid.pk == sent.pk else "not_funded",
            amount=Decimal("150000") if bid.pk == sent.pk else None,
            meeting_date=timezone.localdate(),
            minute_ref="7",
        )
    services.round_publish_decisions(funding_round=funding_round, by=world.body)
    check("decisions published")


# --------------------------------------------------------------------------------------------------
# 2. Objects scoped through a parent


def _risk_on(world, parent, title):
    from core_groups import services as core_services

    return core_services.risk_create(
        user=world.evaluator,
        scope_object=parent,
        title=title,
        description="Raised on the parent, not on a core group.",
        impact=4,
        likelihood=3,
    )


# Each child builder, raised on other parents too: (the child's builder, how to make one on another parent).
VARIANTS = {
    "risk": [
        lambda w: _risk_on(w, objects.project(w), "Incumbent may challenge the award"),
        lambda w: _risk_on(w, objects.commission(w), "The provider may hand the service back"),
    ],
}


def test_every_record_scoped_through_a_parent_is_refused_to_whoever_is_refused_the_parent(client, world):
    rows = shapes.url_objects(world)
    children = []  # (row key, the URL's kwargs, the record)
    for key, (builder, name, record, kwargs) in rows.items():
        if not any(status == 200 for status in RULES[key].get.values()):
            continue  # a page nobody GETs (POST-only): the matrix checks it
        children.append((key, kwargs, record))
        for make in VARIANTS.get(builder, []):
            variant = make(world)
            children.append((key, {**kwargs, name: variant.pk}, variant))
    scoped = [(key, kwargs, record, shapes.parents(record)) for key, kwargs, record in children]
    scoped = [item for item in scoped if item[3]]
    # The shapes of the finding are among them: a risk on a project, a task of a project, a service's return,
    # a bid's attachment.
    found = {(key, parent_label) for key, _name, _record, parents in scoped for parent_label, _parent in parents}
    assert {
        ("core_groups:risk", "procurement.procurementproject"),
        ("procurement:task_update", "procurement.procurementproject"),
        ("review:return_detail", "core_groups.commission"),
        ("growth_bids:attachment_download", "growth_bids.bid"),
    } <= found, sorted(found)

    browser = Browser(client, world)
    refused_parent = {}
    leaks = []
    for persona in EVERYONE:
        for key, kwargs, _record, parents in scoped:
            for parent_label, parent in parents:
                parent_url = shapes.parent_url(parent_label, parent)
                if (persona, parent_url) not in refused_parent:
                    refused_parent[persona, parent_url] = browser.get(persona, parent_url).status_code != 200
                if not refused_parent[persona, parent_url]:
                    continue
                url = reverse(key, kwargs=kwargs)
                if browser.get(persona, url).status_code == 200:
                    leaks.append(f"{persona} is refused {parent_url} ({parent_label}) but reads {url} ({key})")
    assert not leaks, "\n".join(sorted(set(leaks)))
