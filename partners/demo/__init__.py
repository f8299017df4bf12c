"""Demo log-ins and fictional organizations for `make run` (see loader.py, users.py)."""
