"""One module per activity kind: its phone panel, its part of a group's card on the host page and
its block on the screen. ``registry.py`` finds a kind's module by the activity's ``kind``."""
