"""``python -m xjkg`` is the ``xjkg`` command."""

import sys

from xjkg.cli import main

sys.exit(main())
