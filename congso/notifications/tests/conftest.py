from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def sms_dir(settings, tmp_path) -> Path:
    """The development SMS provider writes under VAR_DIR/sms: keep the developer's var/ out of the tests."""
    settings.VAR_DIR = tmp_path
    settings.CONGSO_SMS_BACKEND = "congso.notifications.channels.DevelopmentSmsProvider"
    return tmp_path / "sms"


@pytest.fixture
def sent_sms(sms_dir):
    """The texts of the SMS the development provider has written, oldest first."""
    return lambda: [path.read_text(encoding="utf-8") for path in sorted(sms_dir.glob("*.txt"))]
