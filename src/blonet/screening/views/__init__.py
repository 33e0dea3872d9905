from blonet.screening.views.batch import batch, run_detail, run_progress, run_results
from blonet.screening.views.check import hit_decide, hit_detail, index
from blonet.screening.views.lists import (
    entry_detail,
    entry_from_entity_view,
    entry_remove_view,
    watchlist_detail,
    watchlist_entry_add,
    watchlist_import,
    watchlist_list,
    watchlist_new,
)
from blonet.screening.views.stats import hit_list, statistics

__all__ = [
    "batch",
    "entry_detail",
    "entry_from_entity_view",
    "entry_remove_view",
    "hit_decide",
    "hit_detail",
    "hit_list",
    "index",
    "run_detail",
    "run_progress",
    "run_results",
    "statistics",
    "watchlist_detail",
    "watchlist_entry_add",
    "watchlist_import",
    "watchlist_list",
    "watchlist_new",
]
