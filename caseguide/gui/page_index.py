"""The headings and links of the page in the reading view, found in Qt's own layout of it.

A screen-reader user skims a long guide by its headings and its links: H and K in the reading view,
Guide > Headings and Guide > Links in this guide, and the accessible objects of reading_access all
read them from here. Positions are QTextDocument positions, the same the view's text cursor uses.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Heading:
    start: int  # the heading's first character
    end: int  # just past its last
    level: int  # 1 for the guide's title, 2 for its sections...
    text: str


@dataclass(frozen=True)
class Link:
    start: int
    end: int
    href: str
    text: str


def find_headings(document) -> list[Heading]:
    """Every heading of a QTextDocument (a block Qt made from <h1>-<h6>), in reading order."""
    headings = []
    block = document.begin()
    while block.isValid():
        level = block.blockFormat().headingLevel()
        text = " ".join(block.text().split())
        if level and text:
            headings.append(Heading(block.position(), block.position() + max(block.length() - 1, 0), level, text))
        block = block.next()
    return headings


def find_links(document) -> list[Link]:
    """Every link in a QTextDocument, in reading order; the pieces of one link (a word in bold inside
    it splits it into fragments) are joined."""
    links: list[list] = []
    block = document.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            fragment = it.fragment()
            if fragment.isValid():
                fmt = fragment.charFormat()
                href = fmt.anchorHref() if fmt.isAnchor() else ""
                if href:
                    start, end = fragment.position(), fragment.position() + fragment.length()
                    if links and links[-1][2] == href and links[-1][1] == start:
                        links[-1][1] = end
                        links[-1][3] += fragment.text()
                    else:
                        links.append([start, end, href, fragment.text()])
            it += 1
        block = block.next()
    return [Link(*link) for link in links]


def heading_at(headings: list[Heading], position: int) -> int | None:
    """The number of the heading *position* is in, if it is in one."""
    for number, heading in enumerate(headings):
        if heading.start <= position <= heading.end:
            return number
        if heading.start > position:
            break
    return None


def next_after(items, position: int, forward: bool) -> int | None:
    """The number of the first item (heading or link) that starts after *position* (before it, when not
    *forward*), or None when there is none that way."""
    if forward:
        return next((n for n, item in enumerate(items) if item.start > position), None)
    return next((n for n in range(len(items) - 1, -1, -1) if items[n].start < position), None)
