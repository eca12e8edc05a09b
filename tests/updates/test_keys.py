"""The PyNaCl Ed25519 key and signer are standard TUF Ed25519, and are what every check uses."""

from __future__ import annotations

import pytest
import securesystemslib.signer._key as sslib_key
from securesystemslib._vendor.ed25519 import ed25519 as pure_ed25519
from securesystemslib.exceptions import UnverifiedSignatureError
from securesystemslib.signer import Key, Signature

from caseguide.packs.minisign import SecretKey
from caseguide.updates import FeedError, keys

from .conftest import run_update


def test_metadata_keys_are_read_as_the_pynacl_key():
    signer = keys.NaClSigner(SecretKey.generate())
    key = Key.from_dict(signer.keyid, signer.public_key.to_dict())
    assert type(key) is keys.NaClKey and key == signer.public_key


def test_our_signatures_are_standard_ed25519_both_ways():
    secret = SecretKey.generate()
    signer = keys.NaClSigner(secret)
    signature = signer.sign(b"payload")
    # the reference pure-Python Ed25519 that securesystemslib ships accepts it ...
    pure_ed25519.checkvalid(bytes.fromhex(signature.signature), b"payload", secret.public.key)
    # ... and the PyNaCl key accepts the reference's signature
    theirs = pure_ed25519.signature_unsafe(b"other", secret.secret[:32], secret.public.key)
    signer.public_key.verify_signature(Signature(signer.keyid, theirs.hex()), b"other")


def test_a_wrong_signature_is_refused():
    signer = keys.NaClSigner(SecretKey.generate())
    signature = signer.sign(b"payload")
    with pytest.raises(UnverifiedSignatureError):
        signer.public_key.verify_signature(signature, b"payloaD")


def test_updates_never_fall_back_to_pure_python_ed25519(feed, source, monkeypatch):
    def slow(*args):
        raise AssertionError("the pure-Python Ed25519 fallback was used")
    monkeypatch.setattr(sslib_key, "checkvalid", slow)
    assert run_update(source, feed.root_file).changes


def test_key_files_are_private_and_never_overwritten(tmp_path):
    signer = keys.make_key_file(tmp_path / "a.key")
    with pytest.raises(FeedError, match="never overwritten"):
        keys.make_key_file(tmp_path / "a.key")
    assert keys.read_signer(tmp_path / "a.key").keyid == signer.keyid
    from ..conftest import private_to_owner
    assert private_to_owner(tmp_path / "a.key")
    with pytest.raises(FeedError, match="does not exist"):
        keys.read_signer(tmp_path / "missing.key")
