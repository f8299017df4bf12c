"""The forms, one module per domain. Import the modules directly."""
