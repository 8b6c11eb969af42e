"""Keeping work safe while a document is open: lock files and crash recovery (no Qt)."""
