"""``python -m osom_desktop``: start the desktop app."""

import sys

from osom_desktop.app import main

sys.exit(main())
