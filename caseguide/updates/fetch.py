"""Getting a feed's files, over http(s) or from a folder: the only module in CaseGuide that may open
a network connection (tests/test_architecture.py checks it), and only ``caseguide update`` uses it.

TUF decides *what* is fetched and how long each file may be (the Updater passes the signed length,
or a fixed cap for metadata, and counts every byte); this fetcher decides how long it may take:
a connection must open within ``connect_seconds``, no wait for the next bytes may last longer
than ``gap_seconds``, and after ``grace_seconds`` the average rate must stay above ``min_rate``
bytes a second, so a server that drips a byte at a time cannot hold a nightly update for ever.
Nothing is sent but the GET requests for the feed's own files, with a User-Agent naming CaseGuide
and no cookies; proxies come from the usual variables (``https_proxy``, ``no_proxy``).

A folder (a file share, a mounted USB stick) is read as the web server would serve it: only
ordinary files, opened without waiting (a FIFO named like a feed file is refused, not waited on),
a missing file answering "not found" as a 404 does. A read that the operating system itself holds
(a network share gone away) cannot be interrupted from Python; the limits apply between reads.
"""

from __future__ import annotations

import os
import stat
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import urllib3
from tuf.api import exceptions
from tuf.ngclient import FetcherInterface

from .. import __version__
from . import FeedError

CHUNK = 256 * 1024


@dataclass(frozen=True)
class Limits:
    connect_seconds: float = 20.0
    gap_seconds: float = 30.0
    grace_seconds: float = 60.0
    min_rate: float = 1024.0  # bytes a second, on average, once the grace period is over


@dataclass(frozen=True)
class Source:
    """Where a feed is: *url* is the folder holding ``metadata/`` and ``targets/`` (ends in /)."""
    text: str  # as staff gave it, for messages and the setting
    url: str
    is_folder: bool

    @property
    def metadata_url(self) -> str:
        return self.url + "metadata/"

    @property
    def targets_url(self) -> str:
        return self.url + "targets/"


def parse_source(text: str) -> Source:
    """A feed's address (http or https) or folder, checked; raises FeedError saying what is wrong."""
    text = (text or "").strip()
    if not text:
        raise FeedError("no feed is set: give its address or folder with --from")
    if any(ord(c) < 32 for c in text):
        raise FeedError("the feed's address has control characters in it")
    lower = text.lower()
    if lower.startswith(("http://", "https://")):
        parts = urllib.parse.urlsplit(text)
        if not parts.hostname:
            raise FeedError(f"{text} is not a web address: it names no host")
        if parts.query or parts.fragment:
            raise FeedError(f"{text}: a feed's address is a folder, without ? or #")
        return Source(text, text.rstrip("/") + "/", False)
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise FeedError(f"CaseGuide reads feeds over http, https or from a folder, not {scheme}://. "
                        "Give a web address or the folder (a file share, a USB stick)")
    folder = Path(text).expanduser()
    if not folder.is_dir():
        what = "is not a folder" if folder.exists() else "is not there"
        raise FeedError(f"the feed folder {folder} {what}. If the feed is on a USB stick or a file share, "
                        "check that it is plugged in or connected, and the folder's name")
    folder = folder.resolve()  # saved as updates.source: the same folder whatever the next command's cwd
    return Source(str(folder), folder.as_uri().rstrip("/") + "/", True)


class FeedFetcher(FetcherInterface):
    """A TUF fetcher over http(s) and ``file:`` URLs, with time limits; counts what it received."""

    def __init__(self, limits: Limits | None = None):
        self.limits = limits or Limits()
        self.requests = 0
        self.bytes_received = 0
        self.bodies: dict[str, bytes] = {}  # the metadata files received, by role ("timestamp.json"), for messages
        self._managers: dict[str, urllib3.PoolManager] = {}

    def close(self) -> None:
        """Close the connections kept open for the next request."""
        for manager in self._managers.values():
            manager.clear()
        self._managers.clear()

    def _fetch(self, url: str) -> Iterator[bytes]:
        self.requests += 1
        if url.startswith("file:"):
            return self._paced(self._read_file(url), url)
        if url.startswith(("http://", "https://")):
            return self._paced(self._get(url), url)
        raise exceptions.DownloadError(f"CaseGuide does not fetch {url.split(':', 1)[0]} addresses")

    def _paced(self, chunks: Iterator[bytes], url: str) -> Iterator[bytes]:
        """*chunks*, refused once they arrive more slowly than the limits allow."""
        started = time.monotonic()
        received = 0
        kept = [] if "/metadata/" in url else None
        try:
            for chunk in chunks:
                received += len(chunk)
                if kept is not None:
                    kept.append(chunk)
                self.bytes_received += len(chunk)
                elapsed = time.monotonic() - started
                if elapsed > self.limits.grace_seconds + received / self.limits.min_rate:
                    raise exceptions.SlowRetrievalError(
                        f"{url} arrived too slowly ({received:,} bytes in {elapsed:.0f} s)")
                yield chunk
            if kept is not None:
                name = url.rsplit("/", 1)[-1]
                self.bodies[name.split(".", 1)[1] if name.split(".", 1)[0].isdigit() else name] = b"".join(kept)
        finally:
            close = getattr(chunks, "close", None)
            if close is not None:
                close()

    # http(s) ----------------------------------------------------------------------------

    def _manager(self, url: str) -> urllib3.PoolManager:
        parts = urllib.parse.urlsplit(url)
        proxy = urllib.request.getproxies().get(parts.scheme)
        host = parts.hostname or ""
        if proxy and (host in ("localhost", "127.0.0.1", "::1") or urllib.request.proxy_bypass(host)):
            proxy = None  # this machine itself is never reached through a proxy
        key = proxy or ""
        if key not in self._managers:
            headers = {"User-Agent": f"CaseGuide/{__version__}", "Accept-Encoding": "identity"}
            self._managers[key] = (urllib3.ProxyManager(proxy, headers=headers) if proxy
                                   else urllib3.PoolManager(headers=headers))
        return self._managers[key]

    def _get(self, url: str) -> Iterator[bytes]:
        timeout = urllib3.Timeout(connect=self.limits.connect_seconds, read=self.limits.gap_seconds)
        retries = urllib3.Retry(total=3, connect=2, read=0, status=0, redirect=3, raise_on_status=False)
        try:
            response = self._manager(url).request("GET", url, preload_content=False, timeout=timeout,
                                                  retries=retries, decode_content=False)
        except urllib3.exceptions.MaxRetryError as exc:
            # (urllib3 counts a refused connection, NewConnectionError, as a kind of timeout)
            if isinstance(exc.reason, urllib3.exceptions.TimeoutError) and \
                    not isinstance(exc.reason, urllib3.exceptions.NewConnectionError):
                raise exceptions.SlowRetrievalError(f"{url} did not answer in time") from exc
            raise exceptions.DownloadError(f"{url} cannot be reached ({_reason(exc.reason)})") from exc
        except urllib3.exceptions.TimeoutError as exc:
            raise exceptions.SlowRetrievalError(f"{url} did not answer in time") from exc
        except urllib3.exceptions.HTTPError as exc:
            raise exceptions.DownloadError(f"{url} cannot be reached ({_reason(exc)})") from exc
        if response.status >= 400:
            response.release_conn()
            raise exceptions.DownloadHTTPError(f"{url} answered {response.status}", response.status)
        return self._body(response, url)

    @staticmethod
    def _body(response, url: str) -> Iterator[bytes]:
        try:
            # read1: whatever has arrived, up to CHUNK, so the pace is checked as bytes come in (read()
            # would wait for a whole chunk, which a server sending a byte at a time never completes)
            while chunk := response.read1(CHUNK, decode_content=False):
                yield chunk
        except urllib3.exceptions.TimeoutError as exc:
            raise exceptions.SlowRetrievalError(f"{url} stopped sending") from exc
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise exceptions.DownloadError(f"the download of {url} was cut off ({_reason(exc)})") from exc
        finally:
            response.release_conn()

    # folders ----------------------------------------------------------------------------

    @staticmethod
    def _read_file(url: str) -> Iterator[bytes]:
        path = file_url_path(url)
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
        try:
            fd = os.open(path, flags)
        except (FileNotFoundError, NotADirectoryError):
            raise exceptions.DownloadHTTPError(f"{path} is not there", 404) from None
        except OSError as exc:
            if os.path.isdir(path):
                raise exceptions.DownloadError(f"{path} is a folder, not a feed file") from None
            raise exceptions.DownloadError(f"{path} cannot be read ({exc.strerror})") from None
        return FeedFetcher._chunks_of(fd, path)

    @staticmethod
    def _chunks_of(fd: int, path: Path) -> Iterator[bytes]:
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                raise exceptions.DownloadError(f"{path} is not an ordinary file")
            while True:
                try:
                    chunk = os.read(fd, CHUNK)
                except BlockingIOError:
                    raise exceptions.DownloadError(f"{path} is not an ordinary file") from None
                except OSError as exc:
                    raise exceptions.DownloadError(f"{path} could not be read to the end "
                                                   f"({exc.strerror})") from None
                if not chunk:
                    return
                yield chunk
        finally:
            os.close(fd)


def file_url_path(url: str) -> Path:
    """The path a ``file:`` URL names (a drive letter or a share on Windows)."""
    parts = urllib.parse.urlsplit(url)
    path = parts.path
    if parts.netloc and parts.netloc != "localhost":
        path = f"//{parts.netloc}{path}"
    return Path(urllib.request.url2pathname(path))


def _reason(exc) -> str:
    text = str(exc) or type(exc).__name__
    # urllib3 puts the pool's repr in front of what went wrong; the end says what it was
    return text.rsplit(": ", 1)[-1][:200]
