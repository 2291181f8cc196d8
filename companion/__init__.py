"""Rapport companion: keeps the history of the people you deal with on X, on your own machine."""

__version__ = "0.1.0"
