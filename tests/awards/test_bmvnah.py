"""The criteria of Bà mẹ Việt Nam Anh hùng (LEGAL.md §5.5), one case at a time."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from thidua.awards.bmvnah import FactsError, MotherFacts, bmvnah_assess, facts_from


@pytest.mark.parametrize("facts,case", [
    (MotherFacts(children=4, martyr_children=2), "a"),
    (MotherFacts(children=2, martyr_children=1, invalid_children_81=1), "b"),
    (MotherFacts(children=1, martyr_children=1), "c"),
    (MotherFacts(children=3, martyr_children=1, husband_martyr=True), "d"),
    (MotherFacts(children=3, martyr_children=1, self_martyr=True), "đ"),
    (MotherFacts(children=3, martyr_children=1, self_invalid_81=True), "e"),
])
def test_each_case_of_the_ordinance_is_met(facts, case):
    met, reasons = bmvnah_assess(facts)
    assert met and any(f"trường hợp {case})" in r for r in reasons)


def test_one_martyr_among_three_children_is_not_enough_and_says_why():
    met, reasons = bmvnah_assess(MotherFacts(children=3, martyr_children=1, invalid_children_81=1))
    assert not met
    assert reasons[0].startswith("Không đạt: có 1 con là liệt sĩ nhưng không thuộc trường hợp nào khác")


def test_facts_are_read_from_a_form_with_clear_errors():
    assert facts_from({"children": "2", "martyr_children": "1", "husband_martyr": "on"}) == MotherFacts(
        children=2, martyr_children=1, husband_martyr=True)
    with pytest.raises(FactsError, match="Số con là liệt sĩ và thương binh \\(3\\) nhiều hơn số con \\(2\\)"):
        facts_from({"children": "2", "martyr_children": "2", "invalid_children_81": "1"})


counts = st.integers(min_value=0, max_value=8)


@given(children=counts, invalid=counts, husband=st.booleans(), self_martyr=st.booleans(), invalid_self=st.booleans())
def test_no_martyr_child_never_meets_the_standard(children, invalid, husband, self_martyr, invalid_self):
    facts = MotherFacts(children=children, invalid_children_81=invalid, husband_martyr=husband,
                        self_martyr=self_martyr, self_invalid_81=invalid_self)
    assert not bmvnah_assess(facts)[0]


@given(martyrs=st.integers(min_value=2, max_value=8), extra=counts)
def test_two_martyr_children_always_meet_it(martyrs, extra):
    assert bmvnah_assess(MotherFacts(children=martyrs + extra, martyr_children=martyrs))[0]
