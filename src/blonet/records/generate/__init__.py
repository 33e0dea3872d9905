"""Synthetic demo and benchmark data for the register (`blonet records_generate`).

Deterministic for a seed: the same seed, size and period give the same records (ids,
references, names, numbers). See `run.Generator` for the loop and `batch` for the bulk writer.
"""

from blonet.records.generate.run import ACTION, Generator, Result, already_generated, generate

__all__ = ["ACTION", "Generator", "Result", "already_generated", "generate"]
