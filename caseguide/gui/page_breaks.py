"""Page breaks where a reader expects them, in a handout laid out in pages (gui/printing.py).

Qt's page layout breaks a page wherever the next line does not fit. :func:`keep_together` moves to
the next page what must not be parted: a heading from the first lines of its text, each block the
handout marks to keep whole (a source's address, the organisation's contact block), and each table
it marks to keep whole (a source with its QR code).

Every function takes *page_height*, the height of one page in the document's coordinates, so the
page of a line is ``top // page_height``.
"""

from __future__ import annotations

from PySide6.QtGui import QTextBlockFormat, QTextCursor, QTextFormat

from ..guides.handout_parts import KEEP_TABLE, KEEP_TOGETHER, KEEP_WITH_NEXT

HEADING_KEEPS_LINES = 2  # a heading goes overleaf unless this many lines of its text follow it on its page
MAX_MOVES = 2000  # each move is one page break; a handout has far fewer pages than this


def line_tops(document, block) -> list[float]:
    """The top of each of *block*'s laid-out lines, in document coordinates."""
    top = document.documentLayout().blockBoundingRect(block).top()
    layout = block.layout()
    return [top + layout.lineAt(n).y() for n in range(layout.lineCount())]


def _keeps_with_next(block) -> bool:
    return block.blockFormat().headingLevel() > 0 or block.userState() == KEEP_WITH_NEXT


def _kept_with(document, block) -> list:
    """The blocks whose lines must share a page with *block*: for a heading, those after it up to
    the first HEADING_KEEPS_LINES lines of text (headings straight after it come along, but do not
    count); for a block kept with the next, the next block."""
    kept = []
    wanted = HEADING_KEEPS_LINES
    whole_next = block.blockFormat().headingLevel() == 0
    following = block.next()
    while following.isValid() and wanted > 0:
        if following.text().strip() and line_tops(document, following):
            kept.append(following)
            if whole_next:
                break
            if not _keeps_with_next(following):
                wanted -= min(wanted, len(line_tops(document, following)))
        following = following.next()
    return kept


def _following_lines(document, block) -> list[float]:
    """The tops of the lines that must share a page with *block* (see _kept_with)."""
    kept = _kept_with(document, block)
    lines: list[float] = []
    wanted = HEADING_KEEPS_LINES
    for following in kept:
        tops = line_tops(document, following)
        if block.blockFormat().headingLevel() == 0 or _keeps_with_next(following):
            lines += tops
        else:
            lines += tops[:wanted]
            wanted -= len(tops[:wanted])
    return lines


def _table_of(block):
    """The table a KEEP_TABLE block is in (a table kept whole on one page), or None."""
    return QTextCursor(block).currentTable() if block.userState() == KEEP_TABLE else None


def table_lines(document, table) -> list[float]:
    """The tops of every line in *table*'s cells, in document order."""
    tops: list[float] = []
    block = document.findBlock(table.firstPosition())
    while block.isValid() and block.position() <= table.lastPosition():
        tops += line_tops(document, block)
        block = block.next()
    return tops


def _first_parted(document, page_height: float, start):
    """The first block from *start* on that is parted from what belongs with it and can be moved
    (it does not start a page already, where moving it would not help), or None."""
    def page(y: float) -> int:
        return int(y // page_height)

    last_page = -1
    block = start.previous()
    while block.isValid() and last_page < 0:  # the page of the last line before *start*
        tops = line_tops(document, block)
        last_page = page(tops[-1]) if tops and block.text().strip() else -1
        block = block.previous()
    block = start
    while block.isValid():
        tops = line_tops(document, block) if block.text().strip() else []
        table = _table_of(block) if tops else None
        if table is not None:  # the first of a kept table's blocks met decides for all of them
            lines = table_lines(document, table)
            if page(min(lines)) == last_page and len({page(y) for y in lines}) > 1:
                return block
        elif tops:
            if page(tops[0]) == last_page:
                if block.userState() == KEEP_TOGETHER and page(tops[-1]) != page(tops[0]):
                    return block
                if _keeps_with_next(block):
                    after = _following_lines(document, block)
                    if after and page(after[-1]) != page(tops[-1]):
                        return block
        if tops:
            last_page = page(tops[-1])
        block = block.next()
    return None


def _set_break(block, before: bool) -> None:
    """A page break before *block* (or none): before its table, for a block that starts a table kept whole."""
    policy = QTextFormat.PageBreakFlag.PageBreak_AlwaysBefore if before else QTextFormat.PageBreakFlag.PageBreak_Auto
    table = _table_of(block)
    if table is not None:
        table_format = table.format()
        table_format.setPageBreakPolicy(policy)
        table.setFormat(table_format)
        return
    page_break = QTextBlockFormat()
    page_break.setPageBreakPolicy(policy)
    QTextCursor(block).mergeBlockFormat(page_break)


def keep_together(document, page_height: float) -> int:
    """Move to the next page each heading whose first lines of text would be overleaf, and each
    block or table marked to be kept whole that would be split; returns how many were moved."""
    moves = 0
    ours: set[int] = set()  # the blocks given a page break here (not those the handout asked for)
    start = document.begin()
    while moves < MAX_MOVES:
        document.pageCount()  # Qt lays out lazily: this finishes the layout, so every line has its place
        block = _first_parted(document, page_height, start)
        if block is None:
            break
        # What goes overleaf with it needs no page break of its own any more (one made earlier,
        # before this block was found parted from it, would now leave this block alone on its page).
        for following in _kept_with(document, block):
            if following.blockNumber() in ours:
                _set_break(following, False)
                ours.discard(following.blockNumber())
        _set_break(block, True)
        ours.add(block.blockNumber())
        moves += 1
        # A heading just before it may now be the one left behind: look again from there.
        start = block
        while start.previous().isValid() and (_keeps_with_next(start.previous())
                                              or not start.previous().text().strip()):
            start = start.previous()
    document.pageCount()
    return moves
