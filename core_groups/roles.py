"""The roles of the product. Each is a Django group, created by a data migration."""

OFFICER = "Officer"
PROGRAMME_TEAM = "Programme team"
COMMISSIONING_BODY = "Commissioning Body"
CORE_GROUP_MEMBER = "Core group member"
ADMINISTRATOR = "Administrator"

ALL_ROLES = [OFFICER, PROGRAMME_TEAM, COMMISSIONING_BODY, CORE_GROUP_MEMBER, ADMINISTRATOR]

DESCRIPTIONS = {
    OFFICER: "Officer of a commissioning partner: files growth bids and supports other partners' bids.",
    PROGRAMME_TEAM: "Runs rounds, evaluates bids, runs procurement projects and keeps the registers.",
    COMMISSIONING_BODY: "Member of the Commissioning Body or JCG: reviews scored bids and decides.",
    CORE_GROUP_MEMBER: "Member of a core group: keeps its work plan, allocation, spend and risks.",
    ADMINISTRATOR: "Edits reference data, criteria, policies and timetables in Django admin.",
}
