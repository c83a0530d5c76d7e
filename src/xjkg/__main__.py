"""``python -m xjkg`` is the ``xjkg`` command."""

import sys

from .cli import main

sys.exit(main())
