"""The command line's parser, and the checked types of its arguments."""

from __future__ import annotations

import argparse
import re
import sys

from ..guides.model import LANGUAGE_RE
from ..suggest import did_you_mean, nearest


class Parser(argparse.ArgumentParser):
    def error(self, message):  # usage errors: one line and the hint, exit 2
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {message}\n")

    def _check_value(self, action, value):
        # A misspelt command, action or choice gets "did you mean ...?", not only the list.
        if action.choices is None or value in action.choices:
            return
        options = [str(c) for c in action.choices]
        hint = did_you_mean(nearest(str(value), options, n=1))
        raise argparse.ArgumentError(action, f"invalid choice {value!r}: {hint}"
                                             f"(choose from {', '.join(options)})")


def positive_int(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 1000:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number from 1 to 1000")
    return int(text)


def language(text: str) -> str:
    if not LANGUAGE_RE.match(text):
        raise argparse.ArgumentTypeError(f"{text!r} is not a language tag such as en or ar")
    return text


def size(text: str) -> tuple[int, int]:
    match = re.fullmatch(r"(\d{2,5})x(\d{2,5})", text)
    if not match or not all(200 <= int(n) <= 8000 for n in match.groups()):
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 1280x800 (200 to 8000 pixels)")
    return int(match.group(1)), int(match.group(2))
