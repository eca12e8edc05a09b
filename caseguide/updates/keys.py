"""Ed25519 keys for TUF metadata, checked and made with PyNaCl, and the publisher's key files.

TUF's default key (securesystemslib's ``SSlibKey``) verifies Ed25519 with pyca/cryptography, or,
without it, with a pure-Python fallback about a thousand times slower; its default signer needs
pyca/cryptography. CaseGuide already carries PyNaCl (libsodium) for pack signatures, and the Windows
installer must stay small, so this module gives securesystemslib an Ed25519 ``Key`` and ``Signer``
backed by PyNaCl, through the extension point it documents for that: the dispatch table
``KEY_FOR_TYPE_AND_SCHEME``, which ``Key.from_dict`` consults whenever metadata is read. Importing
this module registers the key; ``client`` and ``publisher`` import it before reading any metadata.
The metadata stays standard TUF (keytype and scheme ``ed25519``, the public key in hex, the key id
the SHA-256 of its canonical JSON), so any TUF client can check a CaseGuide feed and CaseGuide can
check a feed another TUF tool signed with Ed25519 keys.

Key files are minisign secret keys, the format ``caseguide pack keygen`` writes (optionally
protected by a password), so a publisher keeps one kind of key file for packs and feeds.
"""

from __future__ import annotations

import os
from pathlib import Path

import nacl.exceptions
import nacl.signing
from securesystemslib.exceptions import UnverifiedSignatureError, VerificationError
from securesystemslib.signer import ED25519, KEY_FOR_TYPE_AND_SCHEME, KEY_TYPE_ED25519, Signature, Signer, SSlibKey
from securesystemslib.signer._utils import compute_default_keyid

from ..errors import CaseGuideError
from ..fsutil import atomic_write, read_small_file
from ..packs.minisign import SecretKey, SignatureError
from . import FeedError

MAX_KEY_FILE = 4096


class NaClKey(SSlibKey):
    """An Ed25519 TUF public key whose signatures PyNaCl checks."""

    def verify_signature(self, signature: Signature, data: bytes) -> None:
        if self.keytype != KEY_TYPE_ED25519 or self.scheme != ED25519:
            return super().verify_signature(signature, data)
        if signature.keyid != self.keyid:
            raise VerificationError(f"signature by key {signature.keyid}, not by {self.keyid}")
        try:
            public = bytes.fromhex(self.keyval["public"])
            raw = bytes.fromhex(signature.signature)
            nacl.signing.VerifyKey(public).verify(data, raw)
        except nacl.exceptions.BadSignatureError:
            raise UnverifiedSignatureError(f"Failed to verify signature by {self.keyid}") from None
        except (ValueError, TypeError, nacl.exceptions.CryptoError) as exc:
            raise VerificationError(f"Unknown failure to verify signature by {self.keyid}: {exc}") from None


KEY_FOR_TYPE_AND_SCHEME[(KEY_TYPE_ED25519, ED25519)] = NaClKey


def tuf_key(secret: SecretKey) -> NaClKey:
    """The TUF public key of a minisign secret key."""
    keyval = {"public": secret.public.key.hex()}
    return NaClKey(compute_default_keyid(KEY_TYPE_ED25519, ED25519, keyval), KEY_TYPE_ED25519, ED25519, keyval)


class NaClSigner(Signer):
    """Signs TUF metadata with a minisign secret key (PyNaCl)."""

    def __init__(self, secret: SecretKey, path: Path | None = None):
        self._signing = nacl.signing.SigningKey(secret.secret[:32])
        self._public = tuf_key(secret)
        self.path = path

    @property
    def public_key(self) -> NaClKey:
        return self._public

    @property
    def keyid(self) -> str:
        return self._public.keyid

    def sign(self, payload: bytes) -> Signature:
        return Signature(self._public.keyid, self._signing.sign(payload).signature.hex())

    @classmethod
    def from_priv_key_uri(cls, priv_key_uri, public_key, secrets_handler=None):
        raise ValueError("CaseGuide's feed keys are files: use read_signer()")


def read_signer(path: Path, password=None) -> NaClSigner:
    """The signer in the key file *path*. *password*: a string, or a callable asked only if the key
    is protected by one."""
    path = Path(path)
    raw = read_small_file(path, MAX_KEY_FILE, "a secret key file", FeedError,
                          missing=f"the key file {path} does not exist; check its name, or make it with "
                                  "'caseguide feed init'")
    try:
        return NaClSigner(SecretKey.parse(raw.decode("utf-8"), password=password), path)
    except UnicodeDecodeError:
        raise FeedError(f"{path} is not a secret key file (it is not text)") from None
    except SignatureError as exc:
        raise FeedError(f"{path}: {exc}") from None


def make_key_file(path: Path, password: str | None = None) -> NaClSigner:
    """A new key, written to *path* (readable by its owner only); an existing file is never replaced."""
    path = Path(path)
    if os.path.lexists(path):
        raise FeedError(f"{path} already exists; keys are never overwritten. Give another file name")
    if not path.parent.is_dir():
        raise FeedError(f"the folder {path.parent} does not exist")
    secret = SecretKey.generate()
    try:
        atomic_write(path, secret.dump(password).encode(), mode=0o600)
    except OSError as exc:
        raise CaseGuideError(f"cannot write the key file {path} ({exc.strerror})") from None
    return NaClSigner(secret, path)


def read_or_make(path: Path, password=None, new_password: str | None = None) -> tuple[NaClSigner, bool]:
    """(the signer in *path*, False), or (a new key written there, True) if there is no such file."""
    if os.path.lexists(path):
        return read_signer(path, password), False
    return make_key_file(path, new_password), True
