"""The one place for paths and settings.

Paths are built from the installed package, never from the working directory, so the
command works from anywhere. Policy numbers live in ``settings.yaml`` beside this file
and can be overridden with ``--settings FILE`` (a YAML file with the keys to change).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml

PACKAGE_DIR = Path(str(resources.files("pipeline")))
RULES_DIR = PACKAGE_DIR / "rules"
TEMPLATES_DIR = PACKAGE_DIR / "report" / "templates"
PROJECT_DIR = PACKAGE_DIR.parent
MODELS_DIR = Path(os.environ.get("CASENOTES_MODELS_DIR", PROJECT_DIR / "models"))
ANNOTATIONS_DIR = PROJECT_DIR / "annotations"
SAMPLE_DIR = PROJECT_DIR / "data" / "sample"
CONTEXT_MODEL = MODELS_DIR / "context_model.skops"
SPAN_MODEL = MODELS_DIR / "span_model.crfsuite"

CONTEXT_FLAGS = ("negated", "hypothetical", "historical", "other_person", "attempted")


@dataclass
class Settings:
    """Run settings. Defaults come from ``settings.yaml``."""

    batch_size: int = 500
    cases_per_task: int = 2000
    max_contact_interval_days: dict = field(default_factory=dict)
    reallocation_review_days: int = 28
    evidence_chars: int = 160
    use_context_model: bool = True
    context_model_path: str = str(CONTEXT_MODEL)
    use_span_model: bool = True
    span_model_path: str = str(SPAN_MODEL)

    @classmethod
    def load(cls, override: str | Path | None = None) -> "Settings":
        data = yaml.safe_load((PACKAGE_DIR / "settings.yaml").read_text())
        if override:
            extra = yaml.safe_load(Path(override).read_text()) or {}
            unknown = set(extra) - set(data)
            if unknown:
                raise ValueError(f"unknown settings: {', '.join(sorted(unknown))}")
            for key, value in extra.items():  # tables merge: {high: 10} keeps medium and low
                data[key] = {**data[key], **value} if isinstance(data[key], dict) and isinstance(value, dict) else value
        return cls(**{k: v for k, v in data.items() if v is not None})
