import pytest

from caseguide.packs import trust
from caseguide.packs.minisign import SecretKey

from .helpers import pack_source


@pytest.fixture
def key(tmp_path):
    """A publisher's key, trusted by this user."""
    secret = SecretKey.generate()
    pub = tmp_path / "publisher.pub"
    pub.write_text(secret.public.dump())
    trust.add_key(pub)
    return secret


@pytest.fixture
def source(tmp_path):
    return pack_source(tmp_path / "src")
