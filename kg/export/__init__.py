"""Exports of the graph: Turtle and the interactive HTML network."""
