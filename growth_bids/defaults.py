"""Kent's default criteria (seed 004, 'Evaluating proposals') and reference data for the data migration."""

# Appendix A asks for "a short statement" per criterion; the form counts words against this limit (each round's
# programme team may change it per criterion).
KENT_STATEMENT_WORDS = 300

KENT_CRITERIA = [
    (
        "a",
        "Does the proposed spending meet the identified needs of a primary client group for which there is no or "
        "minimal provision at county or district level?",
        "The need should have been prioritised within a strategic review or the Supporting People needs analysis, "
        "and the service meets the Supporting People eligibility criteria.",
        "",
    ),
    (
        "b",
        "Does it impact directly on any partner's performance against a national indicator?",
        "Name the indicator and the partner.",
        "",
    ),
    (
        "c",
        "Does it impact directly on the delivery of an agreed Local Area Agreement target?",
        "Name the target.",
        "",
    ),
    (
        "d",
        "Does it have the support of two or more commissioning partners?",
        "The applicant counts as one. Decided by the system from the supporters who have confirmed.",
        "two_partners",
    ),
    (
        "e",
        "Does it support delivery of the five-year Supporting People strategy?",
        "Say which strategic priority it delivers.",
        "",
    ),
    (
        "f",
        "Does it avoid depending on related capital funding that has not been identified?",
        "Name any capital funding and its source.",
        "",
    ),
    (
        "g",
        "Does it avoid depending on related revenue funding that has not been identified?",
        "Name any other revenue funding and its source.",
        "",
    ),
]

# Supporting People primary client groups (the programme's published list).
CLIENT_GROUPS = [
    "Frail elderly",
    "Generic",
    "Homeless families with support needs",
    "Offenders or people at risk of offending",
    "Older people with support needs",
    "People with a physical or sensory disability",
    "People with alcohol problems",
    "People with drug problems",
    "People with HIV/AIDS",
    "People with learning disabilities",
    "People with mental health problems",
    "Refugees",
    "Rough sleepers",
    "Single homeless with support needs",
    "Teenage parents",
    "Travellers",
    "Women at risk of domestic violence",
    "Young people at risk",
    "Young people leaving care",
]

# Kent's twelve districts and boroughs (seed 004, Appendix 2).
KENT_DISTRICTS = [
    "Ashford",
    "Canterbury",
    "Dartford",
    "Dover",
    "Gravesham",
    "Maidstone",
    "Sevenoaks",
    "Shepway",
    "Swale",
    "Thanet",
    "Tonbridge and Malling",
    "Tunbridge Wells",
]

# Supporting People outcomes (the national outcomes framework's headings).
OUTCOMES = [
    "Achieve economic well-being: maximise income and reduce debt",
    "Achieve economic well-being: obtain paid work",
    "Enjoy and achieve: participate in training, education or leisure",
    "Be healthy: better manage physical and mental health",
    "Be healthy: better manage substance misuse",
    "Stay safe: maintain accommodation and avoid eviction",
    "Stay safe: comply with statutory orders",
    "Stay safe: better manage self-harm and avoid causing harm to others",
    "Make a positive contribution: develop confidence and greater choice and control",
    "Make a positive contribution: establish contact with external services and family",
]


def ensure_reference_data():
    """Create any missing client groups, districts and outcomes (the data migration does it once)."""
    from .models import ClientGroup, District, Outcome

    for model, names in ((ClientGroup, CLIENT_GROUPS), (District, KENT_DISTRICTS), (Outcome, OUTCOMES)):
        existing = set(model.objects.values_list("name", flat=True))
        model.objects.bulk_create([model(name=n) for n in names if n not in existing])
