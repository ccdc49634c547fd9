"""Every custom spaCy extension, registered once at import (so worker processes have them).

Values are plain bools, strings and lists so Docs stay serialisable.
"""

from spacy.tokens import Doc, Span, Token

from pipeline.config import CONTEXT_FLAGS

SPAN_ATTRS = {
    **{flag: False for flag in CONTEXT_FLAGS},
    "rule_id": None,  # the target rule that found the span
    "context_rules": None,  # list of context rule ids (or "model:<flag>") that set flags
    "context_cues": None,  # nearest context modifiers around the span (see context.nearest_cues)
    "kind": None,  # agency kind, substance, RoSH level... (see targets.yaml `kinds`)
    "section": None,  # the note section the span sits in ("plan", "history"...)
}


def register() -> None:
    for name, default in SPAN_ATTRS.items():
        if not Span.has_extension(name):
            Span.set_extension(name, default=default)
    if not Token.has_extension("section"):
        Token.set_extension("section", default=None)
    for name in ("contact_id", "note_year", "contact_type"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)


register()
