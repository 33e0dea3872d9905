"""Settings come from one base module driven by BLONET_* environment variables."""

from blonet.settings.base import *  # noqa: F403
