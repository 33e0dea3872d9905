"""Demo set-up for `make demo` (composition root: may use every context)."""
