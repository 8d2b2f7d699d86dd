"""Renderers: turn the query layer's values into text for people (Rich) or machines (JSON)."""
