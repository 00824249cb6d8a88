from hypothesis import given
from hypothesis import strategies as st

from congso.payments.references import (
    ALPHABET,
    LENGTH,
    reference_display,
    reference_is_valid,
    reference_new,
    references_in,
)


def test_a_new_reference_is_short_readable_and_valid():
    reference = reference_new()
    assert len(reference) == LENGTH <= 25
    assert reference.isascii() and reference.startswith("CS")
    assert not set(reference[2:]) & set("0O1IL")
    assert reference_is_valid(reference)


@given(st.data())
def test_one_wrong_character_is_caught(data):
    reference = reference_new()
    index = data.draw(st.integers(min_value=2, max_value=LENGTH - 1))
    other = data.draw(st.sampled_from([c for c in ALPHABET if c != reference[index]]))
    assert not reference_is_valid(reference[:index] + other + reference[index + 1 :])


def test_found_in_a_bank_description_however_written():
    reference = reference_new()
    spaced = reference_display(reference)
    dashed = f"{reference[:5]}-{reference[5:]}".lower()
    assert references_in(f"NGUYEN VAN A CK {spaced} LE PHI") == {reference}
    assert references_in(f"MBVCB.123.{dashed}.ho tich") == {reference}
    assert references_in("chuyen tien le phi ho so") == set()
    wrong = next(c for c in ALPHABET if c != reference[-1])
    assert references_in(f"{reference[:-1]}{wrong} 000") == set()  # a wrong check character
