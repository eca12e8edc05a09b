"""Keyboard and screen-reader use, checked from the Qt side: what Qt's accessibility bridge reads,
where Tab and F6 go, and what a person sees of the focus and the text (measured on screenshots).

tests/a11y/ reads the same things over AT-SPI, as a screen reader does.
"""

from collections import Counter

import pytest
from PySide6.QtCore import QRect, Qt, QUrl
from PySide6.QtGui import QAccessible, QAccessibleActionInterface, QColor, QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (QAbstractButton, QApplication, QComboBox, QDialog, QFormLayout, QLabel,
                               QMessageBox, QWidget)

from caseguide.gui import focus_ring as rings
from caseguide.gui import style
from caseguide.library import Library
from caseguide.packs import trust
from caseguide.packs.minisign import SecretKey

from ..conftest import guide_file

pytestmark = pytest.mark.gui

Name, Description = QAccessible.Text.Name, QAccessible.Text.Description


@pytest.fixture(autouse=True)
def focus_ring(qapp):
    """The app's focus ring and colours, as app.application() installs them."""
    return rings.install(qapp)


def settle():
    for _ in range(3):
        QApplication.processEvents()


def accessible(obj):
    return QAccessible.queryAccessibleInterface(obj)


def children(iface):
    return [iface.child(i) for i in range(iface.childCount())]


def page_of(view):
    """The headings and links of the page, as a screen reader gets them (the viewport's children)."""
    return children(accessible(view.viewport()))


def links_of(view):
    return [item for item in page_of(view) if item.role() == QAccessible.Role.Link]


def press_tab(times=1, backwards=False):
    for _ in range(times):
        modifier = Qt.KeyboardModifier.ShiftModifier if backwards else Qt.KeyboardModifier.NoModifier
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backtab if backwards else Qt.Key.Key_Tab, modifier)
        settle()
    return QApplication.focusWidget()


def tab_cycle(limit=80):
    """Press Tab until the focus comes back where it started; the widgets it went through."""
    start = QApplication.focusWidget()
    seen = []
    for _ in range(limit):
        widget = press_tab()
        seen.append(widget)
        if widget is start and not _inside_links(widget):
            return seen
    pytest.fail(f"Tab never came back to {start!r} in {limit} presses: a trap in {Counter(map(type, seen))}")


def _inside_links(widget):
    page = getattr(widget, "page_index", None)
    return page is not None and page.current() is not None


@pytest.fixture
def arabic_library(make_pack):
    root = make_pack({
        "guides/ar.md": guide_file(
            "إذا كنت تحتاج إلى مساعدة، اقرأ [دليل الطبيب](b.md) "
            "أو زر [موقع هيئة الخدمات الصحية](https://www.nhs.uk/).\n",
            id="guide-ar", title="حقوقك في المستشفى", summary="ما يجب أن تعرفه عن المستشفى.", language="ar"),
        "guides/b.md": guide_file("You can register with a GP without papers.", id="guide-b",
                                  title="Registering with a GP"),
    })
    return Library.discover(root)


# Names ----------------------------------------------------------------------------------------

def test_combo_boxes_are_named_by_their_label_not_their_value(window):
    kind = accessible(window.results.kind)
    assert kind.text(Name) == "Filter by kind"
    assert kind.text(QAccessible.Text.Value) == "All kinds"
    assert accessible(window.results.topic).text(Name) == "Filter by topic"


def test_a_combo_box_with_only_a_visible_label_is_named_by_it(qtbot):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    form = QFormLayout(dialog)
    combo = QComboBox()
    combo.addItems(["A4", "Letter"])
    form.addRow("&Paper size:", combo)
    assert accessible(combo).text(Name) == "Paper size"
    assert accessible(combo).text(QAccessible.Text.Value) == "A4"


def test_preferences_combo_is_called_paper_size(qtbot, window):
    window.show_preferences()
    combo = window.preferences_dialog.paper
    assert accessible(combo).text(Name) == "Paper size"
    window.preferences_dialog.close()


def visible_focusable(root):
    return [w for w in root.findChildren(QWidget) if w.isVisible() and w.isEnabled()
            and w.focusPolicy() != Qt.FocusPolicy.NoFocus and w.window() is root]


def test_every_control_in_every_window_has_a_name(qtbot, window):
    window.open_guide("guide-a")
    window.show_packs()
    window.show_preferences()
    window.show_shortcuts()
    window.print_handout()
    qtbot.waitUntil(lambda: window.handouts.preview is not None and window.handouts.preview.isVisible())
    window.confirm_external(QUrl("https://www.nhs.uk/"))
    windows = [window, window.packs_dialog, window.preferences_dialog, window.shortcuts_dialog,
               window.handouts.preview, window.link_dialog]
    unnamed = [f"{type(w).__name__} in {type(top).__name__}" for top in windows for w in visible_focusable(top)
               if not accessible(w).text(Name).strip()]
    assert unnamed == []
    for top in windows[1:]:
        top.close()


def test_library_column_menu_bar_and_status_bar_are_named(window):
    tree = accessible(window.tree)
    headers = [c for c in children(tree) if c.role() == QAccessible.Role.ColumnHeader]
    assert [h.text(Name) for h in headers] == ["Guides"]
    assert accessible(window.menuBar()).text(Name) == "Menu bar"
    assert accessible(window.statusBar()).text(Name) == "Status bar"


def test_message_box_icons_say_what_they_mean(qtbot, window):
    window.show_about()
    [box] = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    icon = box.findChild(QLabel, "qt_msgboxex_icon_label")
    assert accessible(icon).text(Name) == "Information"
    box.close()


def test_the_website_box_says_the_address_once_and_what_each_button_does(qtbot, window):
    window.confirm_external(QUrl("https://www.nhs.uk/conditions/"))
    box = accessible(window.link_dialog)
    assert "www.nhs.uk" in window.link_dialog.text()
    shown = window.link_dialog.findChild(QLabel, "qt_msgbox_informativelabel")
    assert accessible(shown).text(Name) == "The address is https://www.nhs.uk/conditions/."
    assert box.text(Description) == "Open in browser opens it, Copy address copies it, Cancel goes back to the guide."
    window.link_dialog.close()


# Links in a guide ------------------------------------------------------------------------------

def test_links_in_a_guide_are_exposed_named_and_say_where_they_go(window):
    window.open_guide("guide-a")
    links = links_of(window.view)
    assert [link.role() for link in links] == [QAccessible.Role.Link] * 4
    # In the text, the source's address, the related guide; "guide" and "website" said once.
    assert [link.text(Name) for link in links] == [
        "the GP guide", "NHS website", "https://www.gov.uk/guidance/paying-an-nhs-debt (website)",
        "Registering with a GP (guide)"]
    assert [link.text(Description) for link in links] == [
        "Guide: Registering with a GP", "Website: https://www.nhs.uk/",
        "Website: https://www.gov.uk/guidance/paying-an-nhs-debt", "Guide: Registering with a GP"]


def test_a_link_that_does_not_say_where_it_goes_gets_it_in_its_name(window, make_pack, open_window):
    root = make_pack({"guides/a.md": guide_file("See [this](b.md) and [that](https://example.org/).",
                                                id="a", title="A"),
                      "guides/b.md": guide_file("B.", id="b", title="Bee")})
    win = open_window(Library.discover(root))
    win.open_guide("a")
    assert [link.text(Name) for link in links_of(win.view)][:2] == ["this (guide)", "that (website)"]


def test_tab_to_a_link_focuses_it_for_a_screen_reader_and_press_follows_it(qtbot, window):
    window.open_guide("guide-a")
    window.view.setFocus(Qt.FocusReason.TabFocusReason)
    press_tab()
    gp, nhs = links_of(window.view)[:2]
    assert gp.state().focused and not nhs.state().focused
    assert accessible(window.view.viewport()).focusChild().text(Name) == "the GP guide"
    press_tab()
    assert nhs.state().focused
    gp.actionInterface().doAction(QAccessibleActionInterface.pressAction())
    assert window.windowTitle().startswith("Registering with a GP")


def test_links_follow_the_page(window):
    window.open_guide("guide-a")
    assert len(links_of(window.view)) == 4
    window.open_guide("guide-b")
    assert [link.text(Name) for link in links_of(window.view)] == [
        "https://www.gov.uk/guidance/paying-an-nhs-debt (website)"]  # its one source


# Keyboard ------------------------------------------------------------------------------------

def test_tab_goes_round_the_whole_window_toolbar_included(qtbot, window):
    window.open_guide("guide-a")
    window.search_field.setFocus()
    seen = tab_cycle()
    bar = window.toolbar
    buttons = [bar.widgetForAction(window.actions_by_name[n]) for n in ("back", "home", "zoom_out", "zoom_in",
                                                                        "print", "quick_exit")]
    for widget in buttons + [window.search_field, window.tree, window.view]:
        assert widget in seen, f"Tab never reached {widget.accessibleName() or widget.text()}"
    assert seen.count(window.view) == 1 + len(links_of(window.view))  # the guide, then each link


def test_f6_moves_between_the_parts_of_the_window(qtbot, window):
    window.search_field.setFocus()
    order = []
    for _ in range(4):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_F6)
        order.append(window.regions.current())
    assert order == ["list", "guide", "toolbar", "search"]
    assert QApplication.focusWidget() is window.search_field
    QTest.keyClick(window.search_field, Qt.Key.Key_F6, Qt.KeyboardModifier.ShiftModifier)
    assert window.regions.current() == "toolbar"
    assert QApplication.focusWidget() is window.toolbar.widgetForAction(window.actions_by_name["home"])


def test_f6_in_the_results_goes_to_the_list(qtbot, window):
    window.search_field.setText("hospital")
    qtbot.waitUntil(lambda: window.results.list.count() == 1)
    window.search_field.setFocus()
    QTest.keyClick(window.search_field, Qt.Key.Key_F6)
    assert QApplication.focusWidget() is window.results.list


def test_content_packs_tab_leaves_the_table_and_reaches_every_button(qtbot, window, tmp_path):
    key = SecretKey.generate()
    (tmp_path / "org.pub").write_text(key.public.dump())
    trust.add_key(tmp_path / "org.pub")  # so the Trusted publishers tab has a table to leave
    dialog = window.show_packs()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog)
    dialog.table.setFocus()
    assert press_tab() is dialog.install_button  # out of the table at once: no trap
    seen = tab_cycle()
    for widget in (dialog.tabs.tabBar(), dialog.table, dialog.install_button, dialog.system_box, dialog.close_button):
        assert widget in seen
    dialog.tabs.tabBar().setFocus()
    QTest.keyClick(dialog.tabs.tabBar(), Qt.Key.Key_Right)
    assert dialog.tabs.currentIndex() == 1
    assert dialog.keys.isVisible()
    dialog.keys.setFocus()
    assert press_tab() is dialog.add_key_button  # out of this table at once too
    seen = tab_cycle()
    assert dialog.keys in seen and dialog.add_key_button in seen and dialog.close_button in seen
    dialog.close()


def test_keyboard_shortcuts_lists_every_shortcut_and_does_not_block(qtbot, window):
    QTest.keyClick(window, Qt.Key.Key_F1)
    dialog = window.shortcuts_dialog
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    rows = dict(dialog.rows())
    for action in window.actions_by_name.values():
        for sequence in action.shortcuts():
            text = sequence.toString(sequence.SequenceFormat.NativeText)
            assert any(text in keys for keys in rows), f"{text} ({action.text()}) is not listed"
    assert "F6" in rows and "Shift, three times" in rows
    window.search_field.setFocus()  # the window still takes input with the list open
    QTest.keyClicks(window.search_field, "gp")
    assert window.search_field.text() == "gp"
    dialog.close()


def test_the_results_heading_link_can_be_reached_with_tab(qtbot, window):
    window.search_field.setText("hospitl chargs")
    qtbot.waitUntil(lambda: "search instead for" in window.results.heading.text(), timeout=5000)
    window.results.nation.setFocus()  # the last of the filters shown (one language: no language filter)
    assert press_tab() is window.results.heading


# Seeing the focus and reading the text (measured on screenshots) ---------------------------

def grab(widget, rect: QRect):
    top = widget.window()
    return top.grab(QRect(widget.mapTo(top, rect.topLeft()), rect.size())).toImage()


def ring_check(widget, other):
    """Focus *other*, picture *widget*; focus *widget*, picture it again: the pixels that changed."""
    other.setFocus()
    settle()
    rect = widget.rect()
    before = grab(widget, rect)
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    settle()
    assert widget.hasFocus()
    after = grab(widget, rect)
    band = rings.ring_width(widget) + 2  # the ring lies along the edge: look there
    w, h = after.width(), after.height()
    edge = {(x, y) for x in range(w) for y in (*range(band), *range(h - band, h))}
    edge |= {(x, y) for y in range(h) for x in (*range(band), *range(w - band, w))}
    changed = [(x, y) for x, y in edge if after.pixel(x, y) != before.pixel(x, y)]
    return before, after, changed


def edge_samples(image, width):
    """Pixels just inside the ring, all round (what lies outside it is the window's background)."""
    w, h = image.width(), image.height()
    inside = width + 1
    points = [(x, y) for x in range(inside, w - inside, 3) for y in (inside, h - 1 - inside)]
    points += [(x, y) for y in range(inside, h - inside, 3) for x in (inside, w - 1 - inside)]
    return [image.pixelColor(x, y) for x, y in points]


@pytest.mark.parametrize("scale", [1, 2])
def test_the_focus_ring_is_clear_on_every_kind_of_control(qtbot, qapp, gui_library, open_window, scale):
    font = qapp.font()
    if scale != 1:
        bigger = qapp.font()
        bigger.setPointSizeF(font.pointSizeF() * scale)
        qapp.setFont(bigger)
    try:
        window = open_window(gui_library)
        window.open_guide("guide-a")
        window.search_field.setText("hospital")
        qtbot.waitUntil(lambda: window.results.list.count() == 1)
        bar = window.toolbar
        controls = {"search box": window.search_field,
                    "toolbar button": bar.widgetForAction(window.actions_by_name["home"]),
                    "combo box": window.results.kind, "results": window.results.list, "guide": window.view}
        packs = window.show_packs()
        packs.activateWindow()
        dialog_controls = {"tabs": packs.tabs.tabBar(), "table": packs.table, "button": packs.install_button,
                           "check box": packs.system_box}
        problems = []
        for name, widget in list(controls.items()) + list(dialog_controls.items()):
            widget.window().activateWindow()
            other = window.search_field if widget is not window.search_field else window.view
            if widget.window() is packs:
                other = packs.close_button
            before, after, changed = ring_check(widget, other)
            width = rings.ring_width(widget)
            perimeter = 2 * (after.width() + after.height())
            if len(changed) < 0.8 * perimeter * width:
                problems.append(f"{name}: {len(changed)} pixels changed, a {width}px ring needs {perimeter * width}")
                continue
            ring = rings.focus_colour(widget.palette())
            solid = [p for p in changed if style.contrast(after.pixelColor(*p), ring) < 1.1]
            if len(solid) < 0.7 * perimeter * width:
                problems.append(f"{name}: {len(solid)} pixels of the ring colour, want {perimeter * width}")
            # 3:1 against what is next to it, outside (the window) and inside (the control)
            neighbours = edge_samples(after, width) + [widget.window().palette().color(QPalette.ColorRole.Window)]
            low = [c.name() for c in neighbours if style.contrast(c, ring) < rings.RING_CONTRAST]
            if len(low) > 0.1 * len(neighbours):  # glyphs of text right at the edge may come close
                problems.append(f"{name}: under 3:1 beside {Counter(low).most_common(3)}")
        assert problems == [], "\n".join(problems)
        packs.close()
    finally:
        qapp.setFont(font)


def text_contrast(image):
    """The text colour's contrast with the background in a picture of some text."""
    colours = Counter(image.pixelColor(x, y).name() for y in range(image.height()) for x in range(image.width()))
    background = QColor(colours.most_common(1)[0][0])
    return max(style.contrast(QColor(c), background) for c in colours)


def phrase_rect(view, phrase):
    """Where *phrase* is drawn in the reading view's viewport (one line)."""
    found = view.document().find(phrase)
    assert not found.isNull(), phrase
    cursor = view.textCursor()
    cursor.setPosition(found.selectionStart())
    first = view.cursorRect(cursor)
    cursor.setPosition(found.selectionEnd())
    last = view.cursorRect(cursor)
    return QRect(first.topLeft(), last.bottomRight())


def test_text_in_the_window_is_readable(qtbot, window):
    """4.5:1 for text (WCAG 2.2 AA), measured on a picture of the window."""
    window.search_field.setFocus()
    field = window.search_field
    measured = {"search placeholder": text_contrast(grab(field, field.rect().adjusted(4, 4, -30, -4)))}
    window.open_guide("guide-a")
    view = window.view
    view.verticalScrollBar().setValue(0)
    settle()
    for phrase in ("Hospital charges", "Last reviewed", "Hospitals in England", "GP guide", "NHS website"):
        view.setTextCursor(view.document().find(phrase))
        view.ensureCursorVisible()
        rect = phrase_rect(view, phrase)
        cursor = view.textCursor()
        cursor.clearSelection()
        view.setTextCursor(cursor)
        settle()
        measured[phrase] = text_contrast(grab(view.viewport(), rect))
    window.search_field.setText("hospital")
    qtbot.waitUntil(lambda: window.results.list.count() == 1)
    results = window.results.list
    results.setFocus()
    results.setCurrentRow(0)
    settle()
    measured["selected result"] = text_contrast(grab(results.viewport(), results.visualItemRect(results.item(0))))
    label = window.count_label
    measured["status bar"] = text_contrast(grab(label, label.rect()))
    low = {k: round(v, 2) for k, v in measured.items() if v < style.TEXT_CONTRAST}
    assert low == {}, measured


def test_a_dark_theme_keeps_text_readable_and_the_page_light(qtbot, qapp):
    from caseguide.gui.guide_view import GuideView

    dark = QPalette()
    for role, colour in ((QPalette.ColorRole.Window, "#202020"), (QPalette.ColorRole.WindowText, "#e0e0e0"),
                         (QPalette.ColorRole.Base, "#181818"), (QPalette.ColorRole.Text, "#d0d0d0"),
                         (QPalette.ColorRole.Button, "#303030"), (QPalette.ColorRole.ButtonText, "#e0e0e0"),
                         (QPalette.ColorRole.Highlight, "#3a6ea5"), (QPalette.ColorRole.HighlightedText, "#ffffff"),
                         (QPalette.ColorRole.PlaceholderText, "#606060"), (QPalette.ColorRole.Link, "#3060c0")):
        dark.setColor(role, QColor(colour))
    fixed = style.readable_palette(dark)
    for text, background in style.TEXT_PAIRS:
        assert style.contrast(style.over(fixed.color(text), fixed.color(background)),
                              fixed.color(background)) >= style.TEXT_CONTRAST, text.name
    ring = rings.focus_colour(fixed)
    assert min(style.contrast(ring, fixed.color(r)) for r in (QPalette.ColorRole.Window, QPalette.ColorRole.Base,
                                                              QPalette.ColorRole.Highlight)) >= 3
    view = GuideView(None)
    qtbot.addWidget(view)
    view.setPalette(dark)
    from caseguide.gui.guide_view import paper

    page = paper(dark)
    assert page.color(QPalette.ColorRole.Base) == QColor("#ffffff")  # a guide's colours are for white paper
    assert style.contrast(page.color(QPalette.ColorRole.Text), page.color(QPalette.ColorRole.Base)) >= 4.5


# Right to left ---------------------------------------------------------------------------------

def test_right_to_left_with_an_arabic_guide(qtbot, qapp, open_window, arabic_library):
    qapp.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        window = open_window(arabic_library)
        window.open_guide("guide-ar")
        settle()
        bar = window.toolbar
        back = bar.widgetForAction(window.actions_by_name["back"])
        quick = bar.widgetForAction(window.actions_by_name["quick_exit"])
        assert back.geometry().left() > quick.geometry().left()  # the toolbar is mirrored
        assert window.view.x() < window.left.x()  # the guide is on the left, the list on the right
        names = [link.text(Name) for link in links_of(window.view)]
        assert names[:2] == ["دليل الطبيب (guide)", "موقع هيئة الخدمات الصحية (website)"]
        window.search_field.setFocus()
        seen = tab_cycle()
        assert back in seen or not back.isEnabled()
        assert quick in seen and window.tree in seen and window.view in seen
        QTest.keyClick(window.search_field, Qt.Key.Key_F6)
        assert window.regions.current() == "list"
        _before, _after, changed = ring_check(window.view, window.search_field)
        assert len(changed) > 2 * (window.view.width() + window.view.height())
        assert all(isinstance(w, QAbstractButton) or w.accessibleName() for w in visible_focusable(window))
    finally:
        qapp.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
