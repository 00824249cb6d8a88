import pytest

from congso.sync.tests.portal import FakePortal


@pytest.fixture
def portal(settings):
    """A fake national portal; the sync is switched on and points at it."""
    with FakePortal() as fake:
        settings.CONGSO_DVCQG_URL = fake.url
        settings.CONGSO_DVCQG_TOKEN = "test-token"
        settings.CONGSO_DVCQG_TIMEOUT = 2
        yield fake
