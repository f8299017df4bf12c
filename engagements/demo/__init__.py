"""Demo partnerships and check-in rhythms for `make run` (see loader.py)."""
