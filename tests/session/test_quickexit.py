from caseguide.session.quickexit import ShiftTaps


def test_three_shift_taps_within_the_window_trigger():
    taps = ShiftTaps()
    assert not taps.shift_pressed(0.0)
    assert not taps.shift_pressed(0.4)
    assert taps.shift_pressed(0.8)


def test_taps_too_far_apart_do_not_trigger():
    taps = ShiftTaps()
    assert not taps.shift_pressed(0.0)
    assert not taps.shift_pressed(1.5)
    assert not taps.shift_pressed(3.0)  # the first has expired
    assert taps.shift_pressed(3.4)  # 1.5, 3.0, 3.4 are within two seconds


def test_typing_capitals_never_triggers():
    taps = ShiftTaps()
    for t in (0.0, 0.2, 0.4, 0.6):
        taps.shift_pressed(t)  # Shift down for "H", "E", "L", "P"...
        taps.other_key()       # ...and the letter itself
    assert not taps.shift_pressed(0.7)


def test_it_starts_again_after_triggering():
    taps = ShiftTaps()
    for t in (0.0, 0.1):
        taps.shift_pressed(t)
    assert taps.shift_pressed(0.2)
    assert not taps.shift_pressed(0.3)
