"""Lexicons of public facts the extractors look names up in, never names taken from reports.

Each module holds one kind of fact (for example `regions`: the national administrative
divisions with their GB/T 2260 codes).
"""
