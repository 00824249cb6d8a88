"""Vietnamese text folding: search that finds "Cà Mau" when people type "ca mau"."""

import re
import unicodedata

_SPACES = re.compile(r"\s+")


def fold(text: str) -> str:
    """Lower-case, strip diacritics (đ → d included) and collapse whitespace.

    ``fold("Xã Đất Mũi") == "xa dat mui"``. Used for search keys stored beside the original text.
    """
    decomposed = unicodedata.normalize("NFD", text or "")
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip().lower()


def nfc(text: str) -> str:
    """Normalise to NFC: the data we receive is sometimes decomposed (NFD)."""
    return unicodedata.normalize("NFC", text or "").strip()
