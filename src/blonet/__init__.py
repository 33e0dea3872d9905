"""blonet: the information network of the Central Asian Border Liaison Offices."""

__version__ = "0.1.0"
