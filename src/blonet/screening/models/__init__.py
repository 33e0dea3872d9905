from blonet.screening.models.lists import Watchlist, WatchlistEntry
from blonet.screening.models.runs import DismissedPair, Hit, ScreeningRun

__all__ = ["DismissedPair", "Hit", "ScreeningRun", "Watchlist", "WatchlistEntry"]
