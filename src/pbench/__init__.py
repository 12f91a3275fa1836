"""pbench: benchmark commands, HTTP endpoints and SQL queries as black boxes."""

__version__ = "0.1.0"
