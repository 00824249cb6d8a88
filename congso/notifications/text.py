"""Text helpers for notifications: SMS-safe text and masked recipients for logs and screens."""

import re
import unicodedata

from congso.core.masking import mask_email, mask_phone

_SPACES = re.compile(r"\s+")
_PHONE_SEPARATORS = re.compile(r"[\s.\-()]")
_PHONE = re.compile(r"^0\d{9}$")
# Typographic characters outside the GSM 7-bit alphabet: one of them turns a whole SMS into UCS-2 (70
# characters per part instead of 160).
_GSM_PUNCTUATION = str.maketrans(
    {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "...", "\u00a0": " "}
)


def sms_text(text: str) -> str:
    """Strip Vietnamese diacritics (đ → d) keeping the case, and collapse whitespace to one line.

    ``sms_text("Hồ sơ ĐÃ được tiếp nhận") == "Ho so DA duoc tiep nhan"``. Text with diacritics is sent as
    UCS-2, 70 characters per SMS part; without them it fits the GSM alphabet, 160 characters per part.
    """
    decomposed = unicodedata.normalize("NFD", (text or "").translate(_GSM_PUNCTUATION))
    stripped = "".join(ch for ch in decomposed if unicodedata.category(ch) != "Mn")
    stripped = stripped.replace("đ", "d").replace("Đ", "D")
    return _SPACES.sub(" ", stripped).strip()


def phone_normalize(value: str) -> str | None:
    """A Vietnamese mobile number as ten digits starting with 0 (``+84 912 345 678`` → ``0912345678``),
    or None when it is not one."""
    digits = _PHONE_SEPARATORS.sub("", value or "")
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    return digits if _PHONE.match(digits) else None


def mask_recipient(recipient: str) -> str:
    """Mask an e-mail address or a phone number: what logs, admin lists and ``str()`` show."""
    return mask_email(recipient) if "@" in recipient else mask_phone(recipient)


def redact(text: str, recipient: str) -> str:
    """Replace the recipient (and a phone number's +84 form) in free text such as a provider's error."""
    if not recipient:
        return text
    forms = [recipient]
    if recipient.startswith("0"):
        forms.insert(0, "84" + recipient[1:])
    pattern = re.compile("|".join(re.escape(form) for form in forms), re.IGNORECASE)
    return pattern.sub(mask_recipient(recipient), text)
