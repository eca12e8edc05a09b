"""CaseGuide never opens a network connection: the whole GUI flow with internet sockets blocked."""

import socket
import sys

import pytest
from PySide6.QtCore import Qt

from caseguide.settings import Settings
from caseguide.library import Library
from caseguide.packs import archive, trust
from caseguide.packs.minisign import SecretKey

from ..conftest import guide_file
from ..packs.helpers import pack_source

pytestmark = pytest.mark.gui


@pytest.fixture
def network_guard(monkeypatch):
    attempts = []
    real_socket = socket.socket

    class GuardedSocket(real_socket):
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            if family in (socket.AF_INET, socket.AF_INET6, -1) and fileno is None:
                attempts.append(("socket", family))
                raise OSError("network blocked by the test")
            super().__init__(family, type, proto, fileno)

    def blocked(name):
        def refuse(*args, **kwargs):
            attempts.append((name, args[:1]))
            raise OSError("network blocked by the test")
        return refuse

    monkeypatch.setattr(socket, "socket", GuardedSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, blocked(name))
    return attempts


def test_the_whole_flow_opens_no_connection(qtbot, network_guard, make_pack, tmp_path):
    from caseguide.gui.main_window import MainWindow

    root = make_pack({
        "a.md": guide_file("Charges apply. ![tracker](https://tracker.example/pixel.png) "
                           "<img src='http://evil.example/x.png'> [NHS](https://www.nhs.uk/)",
                           id="guide-a", title="Hospital charges"),
        "b.md": guide_file("Register with a GP.", id="guide-b", title="GP"),
    })
    window = MainWindow(Library.discover(root), Settings())
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.searchReady, timeout=20000):
        window.show()
    window.search_field.setText("charges")
    qtbot.waitUntil(lambda: window.results.list.count() > 0, timeout=5000)
    qtbot.keyClick(window.search_field, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.windowTitle().startswith("Hospital charges"), timeout=5000)
    window.view.document().adjustSize()  # lay out the page, which is when images would load
    window.follow_link(window.view.document().baseUrl().fromUserInput("https://www.nhs.uk/"))
    window.link_dialog.close()
    window.print_handout()
    window.handouts.preview.close()
    with qtbot.waitSignal(window.handouts.saved, timeout=20000):
        window.handouts.save_pdf(window.handout_guides(), tmp_path / "h.pdf")

    key = SecretKey.generate()
    (tmp_path / "k.pub").write_text(key.public.dump())
    trust.add_key(tmp_path / "k.pub")
    archive.build(pack_source(tmp_path / "src"), key, tmp_path / "p.cgpack")
    dialog = window.show_packs(tmp_path / "p.cgpack")
    qtbot.waitUntil(lambda: dialog.confirm.isVisible(), timeout=10000)
    dialog.confirm.click()
    qtbot.waitUntil(lambda: "Installed" in dialog.status.text(), timeout=20000)
    window.actions_by_name["quick_exit"].trigger()
    window.close()

    assert network_guard == []
    assert "PySide6.QtNetwork" not in sys.modules


def test_the_guard_itself_catches_an_attempt(network_guard):
    with pytest.raises(OSError):
        socket.create_connection(("127.0.0.1", 9))
    assert network_guard
