"""The `blonet` console script.

`blonet version` answers without loading Django; every other sub-command is a Django management
command (`blonet migrate`, `blonet directory_load`, `blonet audit_verify`, ...).
"""

from __future__ import annotations

import os
import sys

from blonet import __version__


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in {"version", "--version"}:
        print(f"blonet {__version__}")
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blonet.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["blonet", *args])


if __name__ == "__main__":  # pragma: no cover
    main()
