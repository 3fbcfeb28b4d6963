import pytest

from core_groups.risk import AMBER, GREEN, RED, rating, score


@pytest.mark.parametrize(
    ("value", "expected"),
    [(1, GREEN), (7, GREEN), (8, AMBER), (14, AMBER), (15, RED), (25, RED)],
)
def test_rating_boundaries(value, expected):
    assert rating(value) == expected


@pytest.mark.parametrize("bad", [0, 26, -1, 7.5, "8", None, True])
def test_rating_refuses_a_score_outside_1_to_25(bad):
    with pytest.raises(ValueError):
        rating(bad)


def test_score_is_impact_times_likelihood():
    assert score(3, 5) == 15
    assert rating(score(3, 5)) == RED
    assert rating(score(2, 4)) == AMBER
    assert rating(score(1, 5)) == GREEN


@pytest.mark.parametrize(("impact", "likelihood"), [(0, 3), (6, 1), (3, 0), (2, 6)])
def test_score_refuses_values_outside_1_to_5(impact, likelihood):
    with pytest.raises(ValueError):
        score(impact, likelihood)


def test_every_cell_of_the_grid_has_a_rating():
    ratings = {(i, lk): rating(score(i, lk)) for i in range(1, 6) for lk in range(1, 6)}
    assert ratings[(1, 1)] == GREEN
    assert ratings[(5, 5)] == RED
    assert ratings[(2, 4)] == AMBER
    assert ratings[(3, 5)] == RED
    assert sum(1 for r in ratings.values() if r == RED) == 6  # 15, 15, 16, 20, 20, 25, 15
