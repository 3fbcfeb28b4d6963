"""Risk scores and ratings: pure functions, no ORM.

Score is impact x likelihood, each from 1 to 5. The rating bands follow the programme's register:
red 15-25, amber 8-14, green 1-7.
"""

RED = "red"
AMBER = "amber"
GREEN = "green"

BANDS: dict[str, tuple[int, int]] = {GREEN: (1, 7), AMBER: (8, 14), RED: (15, 25)}
LABELS = {RED: "Red", AMBER: "Amber", GREEN: "Green"}
# Colours for charts; dark enough for white text (red, green) or paired with black text (amber).
FILL = {RED: "#b02a37", AMBER: "#ffc107", GREEN: "#146c43"}
TEXT = {RED: "#ffffff", AMBER: "#000000", GREEN: "#ffffff"}


def score(impact: int, likelihood: int) -> int:
    for name, value in (("impact", impact), ("likelihood", likelihood)):
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= 5:
            raise ValueError(f"{name} must be a whole number from 1 to 5, not {value!r}")
    return impact * likelihood


def rating(score_value: int) -> str:
    """'red', 'amber' or 'green' for a score from 1 to 25."""
    if not isinstance(score_value, int) or isinstance(score_value, bool) or not 1 <= score_value <= 25:
        raise ValueError(f"A risk score is a whole number from 1 to 25, not {score_value!r}")
    if score_value >= 15:
        return RED
    if score_value >= 8:
        return AMBER
    return GREEN


def score_range(rating_name: str) -> tuple[int, int]:
    return BANDS[rating_name]
