"""Writes on the directory."""
