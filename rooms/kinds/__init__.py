"""One module per activity kind; ``registry`` maps a template's ``kind`` to its module."""
