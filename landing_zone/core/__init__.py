"""Shared primitives of the landing zone (the KMS key builder)."""
