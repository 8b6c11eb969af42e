"""Keeping work safe while a document is open: one DocumentSession per open document,
with its lock file, on-disk stamp and crash recovery copy (no Qt)."""
