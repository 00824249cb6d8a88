"""Masking personal data for lists, logs, exports and audit rows: enough to recognise, not to identify."""


def mask_phone(phone: str) -> str:
    """``0912345678`` → ``09******78``."""
    if len(phone) <= 4:
        return "*" * len(phone)
    return phone[:2] + "*" * (len(phone) - 4) + phone[-2:]


def mask_email(address: str) -> str:
    """``hoa@example.vn`` → ``h***@example.vn``."""
    local, _, domain = address.rpartition("@")
    if not local:
        return mask_phone(address)
    return f"{local[:1]}***@{domain}"


def mask_name(name: str) -> str:
    """Keep the family name and the initials: "Nguyễn Thị Hoa" → "Nguyễn T. H."."""
    words = name.split()
    if not words:
        return ""
    return " ".join([words[0], *(f"{word[0]}." for word in words[1:])])


def mask_id_number(number: str) -> str:
    """Keep the first three characters (the province of birth) and the last two: "096190000123" →
    "096*******23". Short numbers are masked entirely."""
    number = number.strip()
    if len(number) < 8:
        return "*" * len(number)
    return number[:3] + "*" * (len(number) - 5) + number[-2:]


def mask_applicant(*, name: str, id_number: str) -> str:
    masked = mask_name(name)
    if id_number:
        masked = f"{masked} · {mask_id_number(id_number)}"
    return masked
