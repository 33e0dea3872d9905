"""Shared kernel: access rule, sharing vocabulary, errors, API conventions. No tables of its own."""
