"""What the command line prints: text a person reads (filtered, so nothing from outside can act on
the terminal), JSON exactly as json.dumps makes it, and problems as one line."""

from __future__ import annotations

import json
import logging
import sys

from ..display import terminal_text


def emit_json(data) -> None:
    """What ``--json`` prints: exactly ``json.dumps(data)``, never edited afterwards. Every character
    outside ASCII (and every control character) is JSON's own escape, so nothing in it can act on a
    terminal and the terminal filter, which would change values and move keys, is not needed."""
    stream = sys.stdout
    getattr(stream, "exact", stream).write(json.dumps(data, indent=2) + "\n")


class TerminalSafe:
    """Standard output or error, with terminal escape sequences and spoofing characters taken out of
    everything written (titles, snippets and pack names come from outside), and a file name that is
    not valid text written with backslashes instead of failing. Only for text a person reads:
    ``--json`` goes to :attr:`exact`, the stream itself."""

    def __init__(self, stream):
        self._stream = stream
        self.exact = stream

    def write(self, text: str) -> int:
        text = terminal_text(text)
        try:
            return self._stream.write(text)
        except UnicodeEncodeError:
            encoding = getattr(self._stream, "encoding", None) or "utf-8"
            return self._stream.write(text.encode(encoding, "backslashreplace").decode(encoding))

    def __getattr__(self, name):
        return getattr(self._stream, name)


class _LogFormatter(logging.Formatter):
    def format(self, record):
        return f"caseguide: {record.levelname.lower()}: {terminal_text(record.getMessage())}"


def shorten(text: str, most: int = 300) -> str:
    return text if len(text) <= most else f"{text[:most // 2]}…{text[-most // 2:]}"


def os_problem(exc: OSError) -> str:
    where = f"{shorten(str(exc.filename))}: " if exc.filename else ""
    return f"{where}{exc.strerror or exc}"


def setup_logging() -> None:
    """Problems go to stderr. Nothing a person searched, read or typed is ever logged."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(_LogFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)


def utf8_output() -> None:
    """Write UTF-8, whatever the console's code page: on Windows a pipe or file otherwise gets
    cp1252 (or the OEM code page), which has no Arabic or Farsi letters at all."""
    for stream in (sys.stdout, sys.stderr):
        if stream is not None and hasattr(stream, "reconfigure") and \
                (stream.encoding or "").replace("-", "").lower() != "utf8":
            stream.reconfigure(encoding="utf-8")
