"""Back and forward behave as in a web browser."""

from caseguide.session.history import HOME, History


def test_back_and_forward_walk_the_places_visited():
    history = History()
    for place in (HOME, "a", "b"):
        history.visit(place)
    assert history.current.target == "b"
    assert history.back().target == "a"
    assert history.back().target == HOME
    assert not history.can_go_back() and history.back() is None
    assert history.forward().target == "a"
    assert history.can_go_forward()


def test_a_new_visit_drops_the_forward_places():
    history = History()
    for place in (HOME, "a", "b"):
        history.visit(place)
    history.back()
    history.visit("c")
    assert not history.can_go_forward()
    assert history.back().target == "a"


def test_visiting_the_page_already_shown_adds_nothing():
    history = History()
    history.visit("a")
    history.visit("a")
    assert not history.can_go_back()


def test_the_oldest_places_go_past_the_limit_and_scroll_is_remembered():
    history = History(limit=3)
    for place in ("a", "b", "c", "d"):
        history.visit(place)
    history.current.scroll = 120
    assert [history.back().target, history.back().target] == ["c", "b"]
    assert history.back() is None  # "a" went when "d" came
    assert history.forward().target == "c" and history.forward().scroll == 120


def test_clear_forgets_everything():
    history = History()
    history.visit("a")
    history.visit("b")
    history.clear()
    assert history.current is None and not history.can_go_back() and not history.can_go_forward()
