"""The synthetic county: deterministic for a seed, and each township differs from Emin a little."""

from __future__ import annotations

from itertools import islice

from lvzhi.domain.compare import compare_lists
from lvzhi.synthetic import synthetic_county, synthetic_province


def test_the_same_seed_gives_the_same_county_and_another_seed_another(emin):
    first = synthetic_county(emin, count=4, seed=3)
    assert first == synthetic_county(emin, count=4, seed=3)
    assert first != synthetic_county(emin, count=4, seed=4)
    assert len({d.township for d in first}) == 4 and all(
        d.version.county == "额敏县" for d in first
    )


def test_each_township_drops_adds_moves_and_rewords_a_few_items(emin):
    for duty_list in synthetic_county(emin, count=5, seed=11):
        found = compare_lists(emin, duty_list)
        assert len(found.only_left) >= 3 and len(found.only_right) >= 1
        assert len(found.other_list) >= 1
        assert len(found.same_list) > 240


def test_a_province_is_made_lazily_in_counties(emin):
    lists = list(islice(synthetic_province(emin, townships=40, per_county=15), 40))
    assert [d.version.county for d in lists[::15]] == ["合成1县", "合成2县", "合成3县"]
    assert len({d.township for d in lists}) == 40
