"""`probation_sectionizer`: note headings ("Plan:", "RISK -", "Previous convictions").

A heading is a phrase from `rules/context.yaml` `sections` at the start of a line
(after an optional bullet), followed by ":", "-", ".", a line break or the end of the note.
Each token gets `token._.section` (the section category) until the next heading; a
`line_only` section ("Present: police, CSC, housing") ends with its line, and the section
it interrupted goes on. Text before the first heading is in the section whose
`contact_types` hold the note's contact type (`doc._.contact_type`, set by
`pipeline.extract`): an initial appointment (COAI) is an induction note without the word.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from pipeline.nlp import _extensions  # noqa: F401
from pipeline.nlp.rulefile import load_rules
from pipeline.nlp.sentencizer import BULLETS, NUMBERED

HEADING_ENDS = {":", "-", "–", "—", "."}  # "Plan:", "RISK -", "Induction."


@Language.factory("probation_sectionizer", default_config={"rules": "context"})
def make_sectionizer(nlp: Language, name: str, rules: str):
    return Sectionizer(nlp, rules=rules)


class Sectionizer:
    def __init__(self, nlp: Language, rules: str = "context"):
        self.sections = {s["id"]: s for s in load_rules(rules).get("sections", [])}
        self.line_only = {s["category"] for s in self.sections.values() if s.get("line_only")}
        self.by_contact_type = {str(code).upper(): s["category"] for s in self.sections.values()
                                for code in s.get("contact_types", [])}
        self.matcher = PhraseMatcher(nlp.vocab, attr="LOWER")
        for sid, section in self.sections.items():
            self.matcher.add(sid, [nlp.make_doc(h) for h in section["headings"]])

    def __call__(self, doc: Doc) -> Doc:
        headings = []
        for match_id, start, end in self.matcher(doc):
            if _at_line_start(doc, start) and _heading_end(doc, end):
                headings.append((start, end, self.sections[doc.vocab.strings[match_id]]["category"]))
        headings = _longest(headings)
        outer = self.by_contact_type.get(doc._.contact_type)  # the section a line-only heading interrupts
        bounds = [(0, outer)] + [(s, c) for s, _, c in headings if s > 0] + [(len(doc), None)]
        if headings and headings[0][0] == 0:
            bounds[0] = (0, headings[0][2])
        for (start, category), (nxt, _) in zip(bounds, bounds[1:]):
            end = _line_end(doc, start, nxt) if category in self.line_only else nxt
            for token in doc[start:end]:
                token._.section = category
            for token in doc[end:nxt]:
                token._.section = outer
            if category not in self.line_only:
                outer = category
        return doc


def _line_end(doc: Doc, start: int, limit: int) -> int:
    """The index of the first line break after `start` (before `limit`), else `limit`."""
    for token in doc[start:limit]:
        if token.is_space and "\n" in token.text:
            return token.i
    return limit


def _at_line_start(doc: Doc, i: int) -> bool:
    """Only a bullet, a list number ("6.", "6)") or spaces between the line start and token i."""
    j = i - 1
    while j >= 0 and (doc[j].text in BULLETS or (doc[j].is_space and "\n" not in doc[j].text)):
        j -= 1
    if j >= 1 and NUMBERED.match(doc[j - 1].text + doc[j].text):
        j -= 2  # a list number: "6." is tokenized as "6" "."
        while j >= 0 and doc[j].is_space and "\n" not in doc[j].text:
            j -= 1
    return j < 0 or (doc[j].is_space and "\n" in doc[j].text)


def _heading_end(doc: Doc, end: int) -> bool:
    if end >= len(doc):
        return True
    nxt = doc[end]
    return nxt.text in HEADING_ENDS or (nxt.is_space and "\n" in nxt.text)


def _longest(matches):
    matches = sorted(matches, key=lambda m: (m[0], -(m[1] - m[0])))
    result, last_end = [], -1
    for start, end, category in matches:
        if start >= last_end:
            result.append((start, end, category))
            last_end = end
    return result
