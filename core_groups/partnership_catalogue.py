"""The partnerships of the five source documents: used by the demo seed and by the data migration that
moved the existing data into partnerships (so an installation that ran the old demo ends up as a new one would).

Plain data only, no models: a migration may import it.
"""

KENT = "kent-sp"
CARDIFF = "cardiff-cypp"
STAFFORDSHIRE = "staffordshire-tscip"
LEEDS = "leeds-asc"
MERTHYR_RCT = "merthyr-rct-compact"

# short_name, name, reports_to, decided_by, identifier prefix, programme names, member organisation names
PARTNERSHIPS = [
    (
        KENT,
        "Supporting People in Kent",
        "Kent Supporting People Commissioning Body",
        "Commissioning Body",
        "GB-LAE-KEN",
        ["Kent Supporting People"],
        [
            "Kent County Council",
            "Ashford Borough Council",
            "Canterbury City Council",
            "Dartford Borough Council",
            "Dover District Council",
            "Gravesham Borough Council",
            "Maidstone Borough Council",
            "Sevenoaks District Council",
            "Shepway District Council",
            "Swale Borough Council",
            "Thanet District Council",
            "Tonbridge and Malling Borough Council",
            "Tunbridge Wells Borough Council",
            "NHS Eastern and Coastal Kent",
            "NHS West Kent",
            "Kent Probation Area",
            "Kent Supporting People Team",
        ],
    ),
    (
        CARDIFF,
        "Cardiff Children and Young People's Partnership (Cymorth)",
        "Children and Young People's Partnership (CYPP) Board",
        "Joint Commissioning Group (JCG)",
        "GB-WLG-CRF",
        ["Cymorth"],
        ["Cardiff Council", "Cardiff and Vale University Health Board", "Voluntary Action Cardiff"],
    ),
    (
        STAFFORDSHIRE,
        "Staffordshire Third Sector Commissioning Partnership",
        "Staffordshire Chief Executives Group",
        "Chief Executives Group",
        "GB-LAE-STS",
        [],
        [
            "Staffordshire County Council",
            "Stoke-on-Trent City Council",
            "Cannock Chase District Council",
            "East Staffordshire Borough Council",
            "Lichfield District Council",
            "Newcastle-under-Lyme Borough Council",
            "South Staffordshire Council",
            "Stafford Borough Council",
            "Staffordshire Moorlands District Council",
            "Tamworth Borough Council",
            "North Staffordshire PCT",
            "South Staffordshire PCT",
            "Stoke on Trent PCT",
            "Staffordshire Police",
            "Staffordshire Fire and Rescue Service",
            "Citizens Advice Bureaux (CABx)",
            "CVS/VAST",
            "Asist",
        ],
    ),
    (
        LEEDS,
        "Leeds Adult Social Care",
        "Scrutiny Board (Adult Social Care)",
        "Project Board",
        "GB-LAE-LDS",
        ["Leeds Adult Social Care commissioning"],
        ["Leeds City Council", "NHS Leeds"],
    ),
    (
        MERTHYR_RCT,
        "Merthyr Tydfil and Rhondda Cynon Taf Compact",
        "Cwm Taf Compact Liaison Group",
        "Compact Liaison Group",
        "GB-WLG-MTY",
        [],
        [
            "Merthyr Tydfil County Borough Council",
            "Rhondda Cynon Taf County Borough Council",
            "Cwm Taf Health Board",
            "Interlink",
            "Voluntary Action Merthyr Tydfil (VAMT)",
        ],
    ),
]

# The global role groups of before and the partnership role each became.
GROUP_TO_ROLE = {
    "Officer": "Officer",
    "Programme team": "Programme team",
    "Commissioning Body": "Commissioning Body",
    "Core group member": "Core group member",
    "Administrator": "Partnership administrator",
}
