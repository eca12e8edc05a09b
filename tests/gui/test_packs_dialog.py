"""Library > Content packs, as a member of staff uses it."""

import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from caseguide.settings import Settings
from caseguide.library import Library
from caseguide.packs import archive, trust
from caseguide.packs.minisign import SecretKey

from ..packs.helpers import pack_source

pytestmark = pytest.mark.gui


@pytest.fixture
def core_window(qtbot):
    from caseguide.gui.main_window import MainWindow

    win = MainWindow(Library.discover(), Settings())
    qtbot.addWidget(win)
    with qtbot.waitSignal(win.searchReady, timeout=20000):
        win.show()
    yield win
    win.close()


@pytest.fixture
def signed_pack(tmp_path):
    key = SecretKey.generate()
    (tmp_path / "org.pub").write_text(key.public.dump())
    trust.add_key(tmp_path / "org.pub")
    path = tmp_path / "extra.cgpack"
    archive.build(pack_source(tmp_path / "src", guides=("zebra-crossings",), words="zebra"), key, path)
    return path


def tree_titles(window):
    titles = []
    stack = [window.tree.topLevelItem(i) for i in range(window.tree.topLevelItemCount())]
    while stack:
        item = stack.pop()
        titles.append(item.text(0))
        stack += [item.child(i) for i in range(item.childCount())]
    return titles


def test_install_then_remove_a_pack_from_the_window(qtbot, core_window, signed_pack):
    window = core_window
    window.actions_by_name["packs"].trigger()
    dialog = window.packs_dialog
    assert dialog.isVisible()
    assert dialog.table.item(0, 0).text() == "CaseGuide core library"
    assert dialog.table.selectedItems() == [] and not dialog.remove_button.isEnabled()  # nothing chosen
    dialog.table.selectRow(0)
    assert not dialog.remove_button.isEnabled()  # the built-in library cannot be removed

    dialog.check_file(signed_pack)
    qtbot.waitUntil(lambda: dialog.confirm.isVisible(), timeout=10000)
    assert "signed by trusted key" in dialog.status.text()
    assert "1 guide added" in dialog.status.text()
    assert "Guide zebra-crossings" not in tree_titles(window)  # checking changed nothing

    with qtbot.waitSignal(window.searchReady, timeout=20000):
        dialog.confirm.click()
    assert "Installed" in dialog.status.text()
    assert "Guide zebra-crossings" in tree_titles(window)
    window.search_field.setText("zebra")
    qtbot.waitUntil(lambda: window.results.list.count() > 0, timeout=5000)
    assert window.results.first_guide() == "zebra-crossings"

    row = next(r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "Extra guides")
    dialog.table.selectRow(row)
    assert dialog.remove_button.isEnabled()
    dialog.remove_button.click()
    box = dialog.remove_box
    [remove] = [b for b in box.buttons() if box.buttonRole(b) == QMessageBox.ButtonRole.DestructiveRole]
    with qtbot.waitSignal(window.searchReady, timeout=20000):
        remove.click()
    assert "Removed extra" in dialog.status.text()
    assert "Guide zebra-crossings" not in tree_titles(window)


def test_a_refused_pack_says_why_and_offers_nothing_to_install(qtbot, core_window, tmp_path):
    bogus = tmp_path / "bogus.cgpack"
    bogus.write_text("not a zip")
    dialog = core_window.show_packs()
    trust_key = SecretKey.generate()
    (tmp_path / "k.pub").write_text(trust_key.public.dump())
    trust.add_key(tmp_path / "k.pub")
    dialog.check_file(bogus)
    qtbot.waitUntil(lambda: "Not done" in dialog.status.text(), timeout=10000)
    assert "not a ZIP archive" in dialog.status.text()
    assert not dialog.confirm.isVisible()


def test_dropping_a_pack_on_the_window_checks_it(qtbot, core_window, signed_pack):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(signed_pack))])
    event = QDropEvent(QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    core_window.dropEvent(event)
    dialog = core_window.packs_dialog
    qtbot.waitUntil(lambda: dialog.confirm.isVisible(), timeout=10000)
    assert "Extra guides 1.0.0" in dialog.status.text()


def test_trusted_publishers_tab_lists_keys(core_window, signed_pack):
    dialog = core_window.show_packs()
    assert dialog.keys.rowCount() == 1
    assert dialog.keys.item(0, 1).text() == trust.trusted_keys()[0].key.fingerprint


def test_an_install_from_the_window_is_one_plan(qtbot, core_window, signed_pack, monkeypatch):
    """Issue 24: checking a pack and installing it is one plan. The new pack's guides are parsed once
    (the check), the installed library is found twice (to compare, and after), and nothing else is
    read again: not for the search index, not for the window, not the other packs."""
    import caseguide.packs.loading as loading
    from caseguide.library import library as library_module

    parsed, discovered = [], []
    real_load, real_discover = loading.load_guide, library_module.Library.discover.__func__
    monkeypatch.setattr(loading, "load_guide", lambda path, pack="": parsed.append(path.name) or real_load(path, pack))
    monkeypatch.setattr(library_module.Library, "discover",
                        classmethod(lambda cls, *a, **k: discovered.append(1) or real_discover(cls, *a, **k)))
    core_window.library.guides  # noqa: B018 - the window's library is loaded before anything starts
    dialog = core_window.show_packs(signed_pack)
    qtbot.waitUntil(lambda: dialog.confirm.isVisible(), timeout=10000)
    with qtbot.waitSignal(core_window.searchReady, timeout=20000):
        dialog.confirm.click()
    assert "Installed" in dialog.status.text()
    assert parsed == ["zebra-crossings.md"]  # the check: the install commits what was checked
    assert len(discovered) == 2  # the library to compare with, and the library after
    assert dialog.current is core_window.current and "zebra-crossings" in core_window.library.guides


def test_a_checked_pack_nobody_installs_is_thrown_away(qtbot, core_window, signed_pack):
    from caseguide.packs.store import PackStore

    dialog = core_window.show_packs(signed_pack)
    qtbot.waitUntil(lambda: dialog.confirm.isVisible(), timeout=10000)
    staging = PackStore.for_scope(False).root / "staging"
    assert [p for p in staging.iterdir()]  # staged, waiting
    dialog.close()
    assert [p for p in staging.iterdir()] == []
    assert "zebra-crossings" not in core_window.library.guides


def test_the_packs_dialog_lists_the_library_the_window_shows(qtbot, tmp_path):
    """With --library, the window previews a pack source folder; the dialog lists that, too."""
    from caseguide.gui.main_window import MainWindow

    preview = pack_source(tmp_path / "preview", pack_id="preview-pack", guides=("draft-guide",))
    window = MainWindow(Library.discover(preview), Settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.searchReady, timeout=20000):
        window.show()
    dialog = window.show_packs()
    titles = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
    assert titles == ["Extra guides"]  # the preview folder's pack.toml title; not the core library
    window.close()


def test_with_no_trusted_publishers_the_tab_says_how_to_add_one(core_window):
    dialog = core_window.show_packs()
    dialog.tabs.setCurrentIndex(1)
    assert dialog.no_keys.isVisible() and not dialog.keys.isVisible()
    assert "Add a publisher's key" in dialog.no_keys.text() and ".pub" in dialog.no_keys.text()
    assert not dialog.remove_key_button.isEnabled()  # nothing to stop trusting


def test_stop_trusting_applies_only_to_a_chosen_publisher(core_window, signed_pack):
    dialog = core_window.show_packs()
    dialog.tabs.setCurrentIndex(1)
    assert dialog.keys.isVisible() and not dialog.no_keys.isVisible()
    assert dialog.keys.selectedItems() == [] and not dialog.remove_key_button.isEnabled()
    dialog.keys.selectRow(0)
    assert dialog.remove_key_button.isEnabled()
    dialog.remove_key_button.click()
    assert "No longer trusting" in dialog.status.text()
    assert dialog.no_keys.isVisible() and not dialog.remove_key_button.isEnabled()


def test_trusted_publishers_show_name_fingerprint_and_the_packs_they_signed(qtbot, core_window, signed_pack):
    headers = lambda table: [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]  # noqa: E731
    dialog = core_window.show_packs()
    assert headers(dialog.keys) == ["Publisher", "Fingerprint", "For", "Packs it signed"]
    [key] = trust.trusted_keys()
    row = [dialog.keys.item(0, c).text() for c in range(4)]
    assert row[0].startswith("Unknown publisher")  # the key file's own comment names no one, no pack yet
    assert row[1] == key.key.fingerprint and len(row[1].split()) == 5
    assert row[3] == "None yet"

    dialog.check_file(signed_pack)
    qtbot.waitUntil(lambda: dialog.confirm.isVisible(), timeout=10000)
    with qtbot.waitSignal(core_window.searchReady, timeout=20000):
        dialog.confirm.click()
    row = [dialog.keys.item(0, c).text() for c in range(4)]
    assert row[0] == "Test Org"  # the publisher named in the pack it signed
    assert row[3] == "Extra guides 1.0.0"


def test_a_keys_own_comment_names_its_publisher(core_window, tmp_path):
    key = SecretKey.generate()
    text = key.public.dump().replace(f"minisign public key {key.public.id}", "Hope Centre guides team")
    (tmp_path / "hope.pub").write_text(text)
    trust.add_key(tmp_path / "hope.pub")
    dialog = core_window.show_packs()
    assert dialog.keys.item(0, 0).text() == "Hope Centre guides team"
