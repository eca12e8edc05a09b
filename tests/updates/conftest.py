"""A publisher's feed with a pack in it, served from a folder or a real HTTP server on localhost."""

from __future__ import annotations

import http.server
import shutil
import threading
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

import pytest

from caseguide.packs import archive, trust
from caseguide.packs.minisign import SecretKey
from caseguide.settings import Settings
from caseguide.updates import client, publisher
from caseguide.updates.fetch import Limits

from ..packs.helpers import pack_source

# Short enough that a stalled server fails a test in about a second, long enough for a loaded machine.
FAST = Limits(connect_seconds=5.0, gap_seconds=1.0, grace_seconds=5.0, min_rate=1024.0)


@dataclass
class Feed:
    """The publisher's side: a feed folder, its offline keys, a pack key this machine trusts."""
    tmp: Path
    dir: Path
    pack_key: SecretKey
    root_key: Path
    targets_key: Path
    packs: dict = field(default_factory=dict)

    @property
    def publish_dir(self) -> Path:
        return self.dir / "publish"

    @property
    def root_file(self) -> Path:
        return self.publish_dir / "metadata" / "1.root.json"

    def build(self, pack_id="extra", version="1.0.0", guides=None, key=None, words="") -> Path:
        guides = guides or (f"{pack_id}-one",)
        src = pack_source(self.tmp / f"src-{pack_id}-{version}", pack_id=pack_id, version=version, guides=guides,
                          words=words)
        out = self.tmp / f"{pack_id}-{version}.cgpack"
        archive.build(src, key or self.pack_key, out)
        return out

    def add(self, pack_id="extra", version="1.0.0", publish=True, **kwargs) -> Path:
        path = self.build(pack_id, version, **kwargs)
        publisher.add(self.dir, path, self.targets_key)
        if publish:
            publisher.publish(self.dir)
        self.packs[pack_id] = path
        return path

    def remove(self, pack_id: str) -> None:
        publisher.remove(self.dir, pack_id, self.targets_key)
        publisher.publish(self.dir)

    def copy(self, name: str) -> Path:
        """A copy of the published folder as it is now (an old USB stick, a stale mirror)."""
        target = self.tmp / name
        shutil.copytree(self.publish_dir, target)
        return target


@pytest.fixture
def feed(tmp_path) -> Feed:
    """A feed with pack 'extra' 1.0.0 published; this PC trusts the pack key (per person and machine-wide)."""
    work = tmp_path / "publisher"
    work.mkdir()
    pack_key = SecretKey.generate()
    (work / "org.pub").write_text(pack_key.public.dump())
    trust.add_key(work / "org.pub")
    trust.add_key(work / "org.pub", system=True)
    made = Feed(work, work / "feed", pack_key, work / "root.key", work / "targets.key")
    publisher.init(made.dir, [made.root_key], made.targets_key, publisher="Hope Network")
    made.add("extra", "1.0.0")
    return made


class Behaviour(http.server.SimpleHTTPRequestHandler):
    """Serves the feed folder; ``server.tricks`` maps a path's end to something hostile to do instead."""

    def log_message(self, *args):  # quiet
        pass

    def do_GET(self):
        self.server.requests.append(self.path)
        for suffix, trick in self.server.tricks.items():
            if self.path.endswith(suffix):
                return trick(self)
        return super().do_GET()


@dataclass
class Server:
    url: str
    httpd: http.server.ThreadingHTTPServer
    stop: threading.Event

    @property
    def tricks(self) -> dict:
        return self.httpd.tricks

    @property
    def requests(self) -> list:
        return self.httpd.requests

    def serve(self, folder: Path) -> None:
        self.httpd.RequestHandlerClass = partial(Behaviour, directory=str(folder))


@pytest.fixture
def http_server(feed):
    """A real HTTP server (the standard library's, in a thread) on 127.0.0.1, serving the feed."""
    stop = threading.Event()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(Behaviour, directory=str(feed.publish_dir)))
    httpd.tricks, httpd.requests, httpd.stop = {}, [], stop
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield Server(f"http://127.0.0.1:{httpd.server_address[1]}/", httpd, stop)
    stop.set()  # releases a stalled handler
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


@pytest.fixture(params=["folder", "http"])
def source(request, feed):
    """The feed as a PC reaches it: from a folder (a share, a USB stick) or over HTTP."""
    if request.param == "folder":
        return str(feed.publish_dir)
    return request.getfixturevalue("http_server").url


def run_update(source=None, root=None, system=False, check=False, limits=FAST):
    return client.update(Settings(), system=system, source=source, root=root, check=check, limits=limits)
