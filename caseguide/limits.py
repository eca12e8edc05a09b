"""Limits on what CaseGuide reads from outside, and the one way each is checked.

Packs, guide files, settings and pointer files, key files and the command line all come from
outside. Every reader checks its input's size (with :func:`caseguide.fsutil.read_small_file`), and
the nesting of anything structured (here) *before* the parser starts, so a crafted file is refused
in a moment with a message, instead of filling memory, recursing until Python gives up or running
for minutes. The figures are in docs/packs.md ("Limits").
"""

from __future__ import annotations

import bisect
import json
import re

from .errors import CaseGuideError

# Structured files (JSON, TOML, YAML flow collections): how deep brackets may nest. Real settings,
# manifests, pack.toml and front matter nest two or three deep.
MAX_DEPTH = 32

_BRACKETS_RE = re.compile(r"[\[\]{}]")


def nesting_depth(text: str) -> int:
    """How deep ``[`` and ``{`` nest in *text*, counting every bracket, quoted or not.

    Counting brackets inside strings too can only overestimate, never miss a deep structure, and
    it is linear however the quotes are arranged.
    """
    depth = deepest = 0
    for match in _BRACKETS_RE.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
        elif depth:
            depth -= 1
    return deepest


def check_depth(text: str, what: str, error: type[CaseGuideError] = CaseGuideError,
                limit: int = MAX_DEPTH) -> None:
    """Raise *error* if *text* (the contents of *what*) nests deeper than *limit*."""
    if nesting_depth(text) > limit:
        raise error(f"{what} nests more than {limit} levels deep; CaseGuide does not read it")


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number CaseGuide accepts")


def _finite(text: str) -> float:
    number = float(text)
    if number in (float("inf"), float("-inf")):
        raise ValueError(f"{text} is too large a number")
    return number


def parse_json(raw: bytes | str, what: str, error: type[CaseGuideError] = CaseGuideError):
    """*raw* as JSON, strictly: UTF-8, at most MAX_DEPTH deep, and no NaN or Infinity (which
    Python's json module would otherwise accept). Every problem is *error* naming *what*."""
    try:
        text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
    except UnicodeDecodeError:
        raise error(f"{what} is not UTF-8 text") from None
    check_depth(text, what, error)
    try:
        return json.loads(text, parse_constant=_no_constant, parse_float=_finite)
    except (ValueError, RecursionError) as exc:
        raise error(f"{what} is not valid JSON ({exc})") from None


# Markdown -----------------------------------------------------------------------------------------
# python-markdown is fast on real text, but not on every text: a line of 8,000 '[' takes it 14 s
# (each '[' scans to the end for its ']'), lists nested 450 deep exhaust Python's recursion, and Qt
# lays out a table of 20,000 rows in 4.5 s. A guide past these figures is refused when it is loaded,
# and render shows any such text as plain paragraphs, so no page ever takes more than a moment.
MAX_LINE_CHARS = 20_000  # not counting an inline image's base64 data
MAX_NESTING = 16  # lists and quotes inside each other
MAX_TABLE_ROWS = 1_000
# Table cells in a whole guide. Qt lays a page out on the window's own thread when it is shown, and a
# table cell costs it about 0.1 ms on this 2-core machine: 4,000 held the thread for 0.4 s, 3,000 for
# 0.3 s (20,000 took 2.3 to 3 s, with the window frozen). The biggest table in any guide seen so far
# has 28 cells.
MAX_TABLE_CELLS = 3_000
MAX_LIST_ITEMS = 1_000  # in one list: Qt takes 63 s to lay out a list of 30,000
MAX_GUIDE_LIST_ITEMS = 5_000  # in all a guide's lists together: about 0.3 s of layout
MAX_BRACKET_WORK = 1_000_000  # characters python-markdown would scan looking for links' ends

_DATA_URI_RE = re.compile(r"data:image/[a-z]+;base64,[A-Za-z0-9+/=]*", re.IGNORECASE)
_PREFIX_RE = re.compile(r"^(?:[ \t]*(?:[>*+-]|\d{1,9}[.)])(?=[ \t]|$))*[ \t]*", re.MULTILINE)
_MARKER_RE = re.compile(r"[>*+-]|\d{1,9}[.)]")
_TABLE_RULE_RE = re.compile(r"^[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$", re.MULTILINE)
_LIST_ITEM_RE = re.compile(r"[ \t]*(?:[*+-]|\d{1,9}[.)])(?:[ \t]|$)")
_BLOCK_SPLIT_RE = re.compile(r"\n[ \t]*\n")
_LINK_CHARS_RE = re.compile(r"[\[\]()\"']")


def _nesting(prefix: str) -> int:
    columns = sum(4 if c == "\t" else 1 for c in prefix if c in " \t")
    return len(_MARKER_RE.findall(prefix)) + columns // 4


def _bracket_work(block: str) -> int:
    """About how many characters python-markdown's link patterns scan in *block*: from each '[' to
    its ']', and from each '](' to its ')', or to the end of the block where there is none (or where
    a quote inside starts a title that does not end right before the ')')."""
    opens: list[int] = []
    parens: list[int] = []
    closing: dict[int, int] = {}
    quotes: list[int] = []
    starts: list[int] = []  # '(' right after ']'
    brackets: list[int] = []
    for match in _LINK_CHARS_RE.finditer(block):
        char, at = match.group(), match.start()
        if char == "[":
            opens.append(at)
            brackets.append(at)
        elif char == "]":
            if opens:
                closing[opens.pop()] = at
        elif char == "(":
            parens.append(at)
            if at and block[at - 1] == "]":
                starts.append(at)
        elif char == ")":
            if parens:
                closing[parens.pop()] = at
        else:
            quotes.append(at)
    end = len(block)
    work = 0
    for at in brackets:
        work += closing.get(at, end) - at
    for at in starts:
        close = closing.get(at, end)
        inside = bisect.bisect_left(quotes, close) - bisect.bisect_right(quotes, at)
        if inside:  # a title: it ends at this ')' only if a closing quote comes right before it
            last = close - 1
            while last > at and block[last] == " ":
                last -= 1
            if close == end or inside < 2 or block[last] not in "\"'":
                close = end
        work += close - at
    return work


# The document as Qt will lay it out: HTML after Markdown and the sanitizer. python-markdown passes
# raw HTML through, so the Markdown counts above do not see an HTML table or list at all. Qt's
# layout cost doubles with each table nested in another (a 4,000-cell table inside one other takes
# 0.65 s, inside four 2.4 s), so a cell counts twice for each table around its own, and as many
# cells as it spans.
MAX_TABLE_NESTING = 3  # tables inside tables (no guide seen so far nests even one)
MAX_SPAN = 100  # colspan or rowspan of one cell
_LAYOUT_TAG_RE = re.compile(r"<(/?)(table|tr|td|th|ul|ol|dl|blockquote|li)\b([^>]*)>", re.IGNORECASE)
_SPAN_RE = re.compile(r'\b(?:col|row)span="?(\d{1,6})', re.IGNORECASE)
_NESTS = {"ul", "ol", "dl", "blockquote"}
# Qt lays out the rest of a long page in steps between events, but one paragraph (a block) at once:
# a paragraph of 2 MB held the window's thread for 0.9 s. The longest in any guide seen has 2,000.
MAX_BLOCK_CHARS = 100_000
_BLOCK_TAG_RE = re.compile(r"</?(?:p|div|li|td|th|h[1-6]|pre|blockquote|tr|table|ul|ol|dl|dt|dd|hr)\b[^>]*>",
                           re.IGNORECASE)


def _longest_block(html: str) -> int:
    longest = start = 0
    for match in _BLOCK_TAG_RE.finditer(html):
        longest = max(longest, match.start() - start)
        start = match.end()
    return max(longest, len(html) - start)


def layout_problem(html: str) -> str | None:
    """Why the sanitized *html* is more than CaseGuide lets Qt lay out on the window's thread
    (nesting of tables, lists and quotes; cells and list items in all; the longest paragraph), or None."""
    if len(html) > MAX_BLOCK_CHARS and _longest_block(html) > MAX_BLOCK_CHARS:
        return f"it has a paragraph longer than {MAX_BLOCK_CHARS:,} characters; split it"
    tables = nests = 0
    cells = items = 0
    list_items: list[int] = []  # items in each open list
    rows: list[int] = []  # rows in each open table
    for match in _LAYOUT_TAG_RE.finditer(html):
        closing, tag, attrs = match.group(1), match.group(2).lower(), match.group(3)
        if closing:
            if tag == "table" and tables:
                tables -= 1
                rows.pop()
            elif tag in _NESTS and nests:
                nests -= 1
                if tag != "blockquote" and list_items:
                    list_items.pop()
            continue
        if tag == "table":
            tables += 1
            rows.append(0)
            if tables > MAX_TABLE_NESTING:
                return f"it nests tables more than {MAX_TABLE_NESTING} deep"
        elif tag in _NESTS:
            nests += 1
            if tag != "blockquote":
                list_items.append(0)
            if nests > MAX_NESTING:
                return f"it nests lists or quotes more than {MAX_NESTING} deep"
        elif tag == "tr" and rows:
            rows[-1] += 1
            if rows[-1] > MAX_TABLE_ROWS + 1:  # and its heading row
                return f"it has a table of more than {MAX_TABLE_ROWS:,} rows; split it"
        elif tag in ("td", "th"):
            span = 1
            for value in _SPAN_RE.findall(attrs):
                span *= min(int(value), MAX_SPAN)
            cells += span << max(tables - 1, 0)
            if cells > MAX_TABLE_CELLS:
                return f"its tables have more than about {MAX_TABLE_CELLS:,} cells in all; split it into several guides"
        elif tag == "li":
            items += 1
            if list_items:
                list_items[-1] += 1
                if list_items[-1] > MAX_LIST_ITEMS:
                    return f"it has a list of more than {MAX_LIST_ITEMS:,} items; split it"
            if items > MAX_GUIDE_LIST_ITEMS:
                return f"its lists have more than {MAX_GUIDE_LIST_ITEMS:,} items in all; split it into several guides"
    return None


def markdown_problem(text: str) -> str | None:
    """Why *text* is Markdown CaseGuide will not render (too long a line, too deep, too big a table,
    too much work finding links' ends), or None: in words for the person who wrote it."""
    if not text:
        return None
    lines = text.split("\n")
    longest = max(lines, key=len)
    if len(longest) > MAX_LINE_CHARS:
        for line in lines:
            if len(line) > MAX_LINE_CHARS and len(_DATA_URI_RE.sub("", line)) > MAX_LINE_CHARS:
                return f"it has a line longer than {MAX_LINE_CHARS:,} characters"
    for match in _PREFIX_RE.finditer(text):
        if len(match.group()) > MAX_NESTING and _nesting(match.group()) > MAX_NESTING:
            return f"it nests lists or quotes more than {MAX_NESTING} deep"
    items = all_items = 0
    for line in lines:
        if _LIST_ITEM_RE.match(line):
            items += 1
            all_items += 1
            if items > MAX_LIST_ITEMS:
                return f"it has a list of more than {MAX_LIST_ITEMS:,} items; split it"
            if all_items > MAX_GUIDE_LIST_ITEMS:
                return f"its lists have more than {MAX_GUIDE_LIST_ITEMS:,} items in all; split it into several guides"
        elif line.strip() and not line.startswith((" ", "\t")):
            items = 0
    blocks = _BLOCK_SPLIT_RE.split(text)
    if "|" in text and _TABLE_RULE_RE.search(text):
        cells = 0
        for block in blocks:
            if "|" in block and _TABLE_RULE_RE.search(block):
                rows = [line.strip().strip("|") for line in block.split("\n") if "|" in line]
                if len(rows) > MAX_TABLE_ROWS + 2:
                    return f"it has a table of more than {MAX_TABLE_ROWS:,} rows; split it"
                cells += sum(row.count("|") + 1 for row in rows)  # the rule under the head counted too
                if cells > MAX_TABLE_CELLS:
                    return (f"its tables have more than about {MAX_TABLE_CELLS:,} cells in all; "
                            "split it into several guides")
    if "[" in text:
        work = 0
        for block in blocks:
            if "[" in block:
                work += _bracket_work(block)
                if work > MAX_BRACKET_WORK:
                    return "it has too many '[' or '(' without their ']' or ')' (escape them as \\[ or \\()"
    return None
