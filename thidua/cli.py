"""The `thidua` command: Django's manage.py with the project's domain commands.

    thidua demo               load the demo clusters and users (idempotent)
    thidua import FILE.yaml   import a covenant file (thidua-covenant/1)
    thidua score GROUP YEAR   score and rank a group-year
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    if sys.version_info < (3, 12):
        sys.exit("thidua cần Python 3.12 trở lên (Django 6.1) — thidua needs Python 3.12 or newer.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "thidua.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["thidua", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
