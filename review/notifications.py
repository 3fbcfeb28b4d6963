"""The events of review people are told of (foundation/notifications.py): a contract coming to its end."""

from foundation import notifications

CONTRACT_EXPIRY = notifications.register(
    "review.contract_expiry",
    "A contract you manage or your programme holds is coming to its end",
    template="review/email/contract_expiry",
    mandatory=True,
    order=55,
)
