from hypothesis import given
from hypothesis import strategies as st

from congso.core.text import fold, nfc


def test_fold_strips_vietnamese_marks():
    assert fold("Xã Đất Mũi") == "xa dat mui"
    assert fold("  Phường   An Xuyên ") == "phuong an xuyen"
    assert fold("ĐĂNG KÝ KHAI SINH") == "dang ky khai sinh"
    assert fold("") == ""


def test_fold_treats_composed_and_decomposed_text_alike():
    composed = "Cà Mau"
    decomposed = "Ca\u0300 Mau"
    assert composed != decomposed
    assert fold(composed) == fold(decomposed) == "ca mau"
    assert nfc(decomposed) == composed


@given(st.text())
def test_fold_is_idempotent_and_lower(text):
    once = fold(text)
    assert fold(once) == once
    assert once == once.lower() or not once.isascii()
