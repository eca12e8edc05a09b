"""Ed25519 keys and signatures in minisign's formats (PyNaCl for the cryptography).

A publisher can sign a pack's manifest with ``caseguide pack build`` or with
the standard ``minisign`` tool, and CaseGuide verifies either. Formats, as
minisign 0.11 writes them:

- public key: ``untrusted comment: ...`` then base64 of
  ``"Ed" || key_id[8] || public_key[32]``
- secret key: a comment line, then base64 of ``"Ed" || kdf ("Sc" or 0x0000) ||
  "B2" || salt[32] || opslimit[8] || memlimit[8] || key_id[8] || secret_key[64]
  || checksum[32]``, the last three XORed with an scrypt stream when a password
  protects the key
- signature: ``untrusted comment: ...``, base64 of ``"ED" || key_id[8] ||
  ed25519(BLAKE2b-512(message))``, ``trusted comment: ...``, and base64 of the
  global signature ``ed25519(signature || trusted comment)``
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from dataclasses import dataclass

import nacl.bindings
import nacl.exceptions
import nacl.pwhash
import nacl.signing

from ..display import clean_text
from ..errors import CaseGuideError

SIG_ALG = b"Ed"
PREHASHED_ALG = b"ED"
KDF_NONE, KDF_SCRYPT = b"\x00\x00", b"Sc"
CHK_ALG = b"B2"
OPSLIMIT, MEMLIMIT = 1048576, 33554432  # minisign's defaults
MAX_COMMENT = 1024


class SignatureError(CaseGuideError):
    """A key or signature that is malformed, or a signature that does not verify."""


def _b64(line: str, what: str, size: int) -> bytes:
    try:
        raw = base64.b64decode(line.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise SignatureError(f"the {what} is damaged (not base64)") from None
    if len(raw) != size:
        raise SignatureError(f"the {what} is damaged (wrong length)")
    return raw


def _lines(text: str, what: str, count: int) -> list[str]:
    lines = [line for line in text.replace("\r\n", "\n").split("\n") if line.strip()]
    if len(lines) < count:
        raise SignatureError(f"this is not a minisign {what}")
    return lines


def format_key_id(key_id: bytes) -> str:
    """The key id as minisign prints it: 16 hex digits, most significant byte first."""
    return key_id[::-1].hex().upper()


@dataclass(frozen=True)
class PublicKey:
    key_id: bytes
    key: bytes
    comment: str = ""

    @property
    def id(self) -> str:
        """The key id: 16 hex digits, chosen by whoever made the key, so it names a key but never
        proves which one; compare :attr:`fingerprint` (or the key itself) for that."""
        return format_key_id(self.key_id)

    @property
    def fingerprint(self) -> str:
        """A readable form of the whole key, to compare with what the publisher says: the first 80
        bits of its SHA-256 in groups of four ("3F2A 9C01 ..."). Unlike the key id, which whoever
        makes a key chooses, it cannot be matched without the same key."""
        digest = hashlib.sha256(self.key).hexdigest().upper()[:20]
        return " ".join(digest[n:n + 4] for n in range(0, len(digest), 4))

    @property
    def has_own_comment(self) -> bool:
        """False for the comment minisign and CaseGuide write by themselves ("minisign public key ID")."""
        return bool(self.comment) and not self.comment.lower().startswith("minisign public key")

    @property
    def encoded(self) -> str:
        """The key as minisign's one base64 line (id and key), as kept in manifests and pack lists."""
        return base64.b64encode(SIG_ALG + self.key_id + self.key).decode()

    def same_key(self, other: PublicKey | None) -> bool:
        """True if *other* is this very key (id and key bytes), not just one claiming its id."""
        return other is not None and (self.key_id, self.key) == (other.key_id, other.key)

    @classmethod
    def parse(cls, text: str) -> PublicKey:
        lines = _lines(text, "public key", 1)
        comment = ""
        if lines[0].startswith("untrusted comment:"):
            comment = clean_text(lines[0][len("untrusted comment:"):]).strip()[:MAX_COMMENT]
            lines = lines[1:]
        if not lines:
            raise SignatureError("this is not a minisign public key")
        raw = _b64(lines[0], "public key", 42)
        if raw[:2] != SIG_ALG:
            raise SignatureError("this public key is not an Ed25519 minisign key")
        return cls(raw[2:10], raw[10:], comment)

    def dump(self) -> str:
        # A publisher's own comment (their name) is kept when a key is trusted, so it can be shown.
        comment = self.comment if self.has_own_comment and not any(c in self.comment for c in "\r\n") \
            else f"minisign public key {self.id}"
        return f"untrusted comment: {comment}\n{self.encoded}\n"


@dataclass(frozen=True)
class SecretKey:
    key_id: bytes
    secret: bytes  # libsodium's 64-byte Ed25519 secret key: seed || public key

    @property
    def public(self) -> PublicKey:
        return PublicKey(self.key_id, self.secret[32:])

    @classmethod
    def generate(cls) -> SecretKey:
        signing = nacl.signing.SigningKey.generate()
        return cls(os.urandom(8), bytes(signing) + bytes(signing.verify_key))

    @staticmethod
    def _checksum(key_id: bytes, secret: bytes) -> bytes:
        return hashlib.blake2b(SIG_ALG + key_id + secret, digest_size=32).digest()

    @staticmethod
    def _stream(password: str, salt: bytes, ops: int, mem: int) -> bytes:
        return nacl.pwhash.scrypt.kdf(104, password.encode("utf-8"), salt, opslimit=ops, memlimit=mem)

    @classmethod
    def parse(cls, text: str, password=None) -> SecretKey:
        """*password* is a string, or a callable asked only if the key is protected."""
        lines = _lines(text, "secret key", 2)
        raw = _b64(lines[1], "secret key", 158)
        if raw[:2] != SIG_ALG or raw[4:6] != CHK_ALG:
            raise SignatureError("this is not an Ed25519 minisign secret key")
        kdf, salt = raw[2:4], raw[6:38]
        ops, mem = int.from_bytes(raw[38:46], "little"), int.from_bytes(raw[46:54], "little")
        block = raw[54:158]
        if kdf == KDF_SCRYPT:
            if password is None:
                raise SignatureError("this secret key is protected by a password; give the password")
            secret_password = password() if callable(password) else password
            if ops > 1 << 32 or mem > 1 << 34:
                raise SignatureError("this secret key asks for too much work to unlock")
            block = bytes(a ^ b for a, b in zip(block, cls._stream(secret_password, salt, ops, mem)))
        elif kdf != KDF_NONE:
            raise SignatureError("this secret key uses a password scheme CaseGuide does not know")
        key_id, secret, checksum = block[:8], block[8:72], block[72:104]
        if kdf == KDF_SCRYPT or checksum != bytes(32):
            if checksum != cls._checksum(key_id, secret):
                raise SignatureError("wrong password for this secret key" if kdf == KDF_SCRYPT
                                     else "the secret key is damaged (bad checksum)")
        return cls(key_id, secret)

    def dump(self, password: str | None = None) -> str:
        block = self.key_id + self.secret + self._checksum(self.key_id, self.secret)
        if password:
            salt, kdf, ops, mem = os.urandom(32), KDF_SCRYPT, OPSLIMIT, MEMLIMIT
            block = bytes(a ^ b for a, b in zip(block, self._stream(password, salt, ops, mem)))
        else:
            salt, kdf, ops, mem = bytes(32), KDF_NONE, 0, 0
        raw = (SIG_ALG + kdf + CHK_ALG + salt + ops.to_bytes(8, "little") + mem.to_bytes(8, "little")
               + block)
        label = "encrypted secret key" if password else "secret key"
        return f"untrusted comment: minisign {label}\n{base64.b64encode(raw).decode()}\n"

    def sign(self, message: bytes, trusted_comment: str, untrusted_comment: str = "") -> str:
        if "\n" in trusted_comment or "\r" in trusted_comment:
            raise ValueError("a trusted comment is one line")
        digest = hashlib.blake2b(message, digest_size=64).digest()
        signature = nacl.bindings.crypto_sign(digest, self.secret)[:64]
        global_sig = nacl.bindings.crypto_sign(signature + trusted_comment.encode("utf-8"), self.secret)[:64]
        untrusted = untrusted_comment or f"signature from CaseGuide, key {self.public.id}"
        return (f"untrusted comment: {untrusted}\n"
                f"{base64.b64encode(PREHASHED_ALG + self.key_id + signature).decode()}\n"
                f"trusted comment: {trusted_comment}\n"
                f"{base64.b64encode(global_sig).decode()}\n")


@dataclass(frozen=True)
class Signature:
    algorithm: bytes
    key_id: bytes
    signature: bytes
    trusted_comment: str
    global_signature: bytes

    @property
    def key_id_text(self) -> str:
        return format_key_id(self.key_id)

    @classmethod
    def parse(cls, text: str) -> Signature:
        lines = _lines(text, "signature", 4)
        raw = _b64(lines[1], "signature", 74)
        if raw[:2] not in (SIG_ALG, PREHASHED_ALG):
            raise SignatureError("the signature uses an algorithm CaseGuide does not know")
        if not lines[2].startswith("trusted comment: "):
            raise SignatureError("the signature has no trusted comment")
        return cls(raw[:2], raw[2:10], raw[10:], lines[2][len("trusted comment: "):],
                   _b64(lines[3], "signature's global signature", 64))

    def verify(self, message: bytes, key: PublicKey) -> None:
        """Raise SignatureError unless *key* signed *message* and this trusted comment."""
        if self.key_id != key.key_id:
            raise SignatureError(f"signed by key {self.key_id_text}, not by key {key.id}")
        signed = hashlib.blake2b(message, digest_size=64).digest() if self.algorithm == PREHASHED_ALG else message
        try:
            nacl.bindings.crypto_sign_open(self.signature + signed, key.key)
            nacl.bindings.crypto_sign_open(
                self.global_signature + self.signature + self.trusted_comment.encode("utf-8"), key.key)
        except (nacl.exceptions.BadSignatureError, ValueError):
            raise SignatureError("the signature does not match: the pack was changed after it "
                                 "was signed, or it is damaged") from None
