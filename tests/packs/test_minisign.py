"""Keys and signatures interoperate with the reference minisign tool, both ways."""

import os
import shutil
import subprocess

import pytest

from caseguide.packs.minisign import PublicKey, SecretKey, Signature, SignatureError

MINISIGN = shutil.which("minisign")
needs_minisign = pytest.mark.skipif(MINISIGN is None, reason="minisign is not installed" + (
    " (under Wine, Debian's Linux minisign starts but cannot be waited for, and PyPI and Debian have no "
    "Windows build)" if os.name == "nt" else ""))


def test_sign_and_verify_round_trip():
    key = SecretKey.generate()
    sig = Signature.parse(key.sign(b"manifest", "CaseGuide pack x 1"))
    sig.verify(b"manifest", key.public)
    with pytest.raises(SignatureError):
        sig.verify(b"manifest!", key.public)
    with pytest.raises(SignatureError, match="not by key"):
        sig.verify(b"manifest", SecretKey.generate().public)


def test_a_changed_trusted_comment_fails():
    key = SecretKey.generate()
    text = key.sign(b"m", "CaseGuide pack x 1").replace("pack x 1", "pack x 9")
    with pytest.raises(SignatureError):
        Signature.parse(text).verify(b"m", key.public)


def test_password_protected_key_round_trip():
    key = SecretKey.generate()
    dumped = key.dump("pw")
    assert SecretKey.parse(dumped, "pw") == key
    with pytest.raises(SignatureError, match="wrong password"):
        SecretKey.parse(dumped, "nope")
    with pytest.raises(SignatureError, match="protected by a password"):
        SecretKey.parse(dumped)


@pytest.mark.parametrize("text", ["", "untrusted comment: x\nnot base64!!", "untrusted comment: x\nAAAA"])
def test_damaged_keys_are_errors_not_crashes(text):
    with pytest.raises(SignatureError):
        PublicKey.parse(text)


@needs_minisign
def test_minisign_verifies_what_caseguide_signs(tmp_path):
    key = SecretKey.generate()
    (tmp_path / "k.pub").write_text(key.public.dump())
    (tmp_path / "m.json").write_bytes(b'{"a": 1}\n')
    (tmp_path / "m.json.minisig").write_text(key.sign(b'{"a": 1}\n', "CaseGuide pack x 1"))
    result = subprocess.run([MINISIGN, "-V", "-p", tmp_path / "k.pub", "-m", tmp_path / "m.json"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "CaseGuide pack x 1" in result.stdout


@needs_minisign
@pytest.mark.parametrize("password", [None, "pw 123"])
def test_caseguide_verifies_what_minisign_signs_with_a_caseguide_key(tmp_path, password):
    key = SecretKey.generate()
    (tmp_path / "k.key").write_text(key.dump(password))
    (tmp_path / "m.json").write_bytes(b"data\n")
    result = subprocess.run([MINISIGN, "-S", "-s", tmp_path / "k.key", "-m", tmp_path / "m.json",
                             "-t", "signed with minisign"], input=f"{password}\n" if password else "",
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    sig = Signature.parse((tmp_path / "m.json.minisig").read_text())
    sig.verify(b"data\n", key.public)
    assert sig.trusted_comment == "signed with minisign"


@needs_minisign
def test_caseguide_reads_keys_minisign_makes(tmp_path):
    result = subprocess.run([MINISIGN, "-G", "-W", "-p", tmp_path / "m.pub", "-s", tmp_path / "m.key"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    secret = SecretKey.parse((tmp_path / "m.key").read_text())
    public = PublicKey.parse((tmp_path / "m.pub").read_text())
    assert secret.public.key == public.key and secret.public.id == public.id
    Signature.parse(secret.sign(b"x", "t")).verify(b"x", public)
