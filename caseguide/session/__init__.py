"""What a person's time at the window holds, without Qt: back and forward (history) and the quick-exit
gesture (quickexit)."""
