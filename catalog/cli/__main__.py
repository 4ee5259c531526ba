"""``python -m catalog.cli``: the same as the ``tianshan`` command."""

from catalog.cli import main

main()
