"""Payment references (mã thanh toán): short, unique, easy to read aloud and to type into a bank app.

"CS" + 8 characters + 1 check character from an alphabet without 0/O, 1/I/L (31 symbols), e.g.
"CS7KQ2M9XA4". The check character (a weighted sum modulo 31) catches one wrong or two swapped characters,
so a reference found in a bank transfer's free text is believed only if it checks.
"""

import re
import secrets

ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
PREFIX = "CS"
BODY_LENGTH = 8
LENGTH = len(PREFIX) + BODY_LENGTH + 1
_VALUE = {c: i for i, c in enumerate(ALPHABET)}
_CANDIDATE = re.compile(rf"(?=({PREFIX}[{ALPHABET}]{{{BODY_LENGTH + 1}}}))")
_SEPARATORS = re.compile(r"[\s\-_.:/]+")


def check_character(body: str) -> str:
    total = sum((position + 1) * _VALUE[c] for position, c in enumerate(body))
    return ALPHABET[total % len(ALPHABET)]


def reference_new() -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(BODY_LENGTH))
    return PREFIX + body + check_character(body)


def reference_is_valid(text: str) -> bool:
    text = normalise(text)
    if len(text) != LENGTH or not text.startswith(PREFIX) or any(c not in _VALUE for c in text[2:]):
        return False
    return check_character(text[2:-1]) == text[-1]


def normalise(text: str) -> str:
    """Upper case, without the spaces, dashes and dots that banks and people put in."""
    return _SEPARATORS.sub("", (text or "").upper())


def references_in(text: str) -> set[str]:
    """Every valid reference found anywhere in ``text`` (a transfer's description), however it was spaced."""
    squeezed = normalise(text)
    return {m for m in _CANDIDATE.findall(squeezed) if check_character(m[2:-1]) == m[-1]}


def reference_display(reference: str) -> str:
    """Grouped for reading aloud: "CS 7KQ2 M9XA 4"."""
    body = reference[2:]
    return f"{reference[:2]} {body[:4]} {body[4:8]} {body[8:]}".strip()
