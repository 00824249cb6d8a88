"""Demo data for programme, loaded by `manage.py demo_load`. Safe to run again."""


def load_demo() -> str:
    """Create the demo rows that are missing; return a one-line summary for the console."""
    return "nothing yet"
