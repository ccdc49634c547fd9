"""Annotation formats: the inline authoring markup, canonical JSONL, and importers."""
