"""``python -m blonet.screening.matching W Q R --top K``."""

from .cli import main

raise SystemExit(main())
