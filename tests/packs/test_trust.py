"""Trusted publishers: keys kept by id, per user or machine-wide, read with care."""

import pytest

from caseguide import paths
from caseguide.errors import CaseGuideError
from caseguide.packs import trust
from caseguide.packs.minisign import SecretKey


def public_key_file(tmp_path, name="org"):
    key = SecretKey.generate()
    path = tmp_path / f"{name}.pub"
    path.write_text(key.public.dump())
    return key, path


def test_a_trusted_key_is_kept_under_its_id_and_read_back(tmp_path):
    key, pub = public_key_file(tmp_path)
    added = trust.add_key(pub)
    assert added.id == key.public.id and added.scope == "user"
    assert (paths.user_trust_dir() / f"{key.public.id}.pub").is_file()
    [found] = trust.trusted_keys()
    assert found.key.key == key.public.key and found.scope == "user"


def test_machine_wide_installs_trust_only_machine_wide_keys(tmp_path):
    _user_key, user_pub = public_key_file(tmp_path, "mine")
    site_key, site_pub = public_key_file(tmp_path, "staff")
    trust.add_key(user_pub)
    trust.add_key(site_pub, system=True)
    assert {k.scope for k in trust.trusted_keys()} == {"user", "system"}
    assert [k.id for k in trust.trusted_keys(system_only=True)] == [site_key.public.id]


def test_removing_a_key(tmp_path):
    key, pub = public_key_file(tmp_path)
    trust.add_key(pub)
    trust.remove_key(key.public.id.lower())  # as typed, in any case
    assert trust.trusted_keys() == []
    with pytest.raises(CaseGuideError, match="is not in your trusted publishers.*add --system"):
        trust.remove_key(key.public.id)
    with pytest.raises(CaseGuideError, match="16 hexadecimal digits"):
        trust.remove_key("not-a-key-id")


def test_a_file_that_is_not_a_public_key_is_refused_with_its_name(tmp_path):
    bad = tmp_path / "notes.pub"
    bad.write_text("hello\n")
    with pytest.raises(CaseGuideError, match=r"notes\.pub is not a minisign public key file"):
        trust.add_key(bad)
    assert trust.trusted_keys() == []


def test_a_damaged_file_in_the_trust_folder_is_skipped_with_a_warning(tmp_path, caplog):
    key, pub = public_key_file(tmp_path)
    trust.add_key(pub)
    (paths.user_trust_dir() / "0000000000000000.pub").write_text("damaged")
    assert [k.id for k in trust.trusted_keys()] == [key.public.id]
    assert "ignored a trusted key file" in caplog.text
