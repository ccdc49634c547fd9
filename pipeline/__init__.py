"""Case-note gap analysis: nDelius case notes in, per-case gap reports out."""

__version__ = "0.1.0"
