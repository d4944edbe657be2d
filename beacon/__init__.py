"""Beacon: the operating platform for development zones and industrial parks."""

__version__ = "0.1.0"
