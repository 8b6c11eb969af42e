"""Who is at the keyboard: the one place the app asks the system for the user's name.

It is the default author of a contract change, the name a guidance decision is
made by when the service has no manager, the holder of a lock file and the author
of a revision.
"""

from __future__ import annotations

import getpass


def current_user() -> str:
    """The login name, or "" where there is none (some containers have no user name;
    every author field is optional)."""
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - getpass raises OSError, KeyError or ImportError by platform
        return ""
