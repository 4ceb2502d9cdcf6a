"""kg: knowledge graphs of Chinese vocational-education quality reports."""

__version__ = "0.1.0"
