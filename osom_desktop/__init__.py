"""OSOM Desktop: Wardley maps, service contracts and governance packs for OSOM services."""

__version__ = "0.1.0"
