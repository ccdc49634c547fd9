"""`probation_context`: ConText-style context for every target span.

For each sentence holding targets, modifier rules from `rules/context.yaml` are
matched (only in those sentences); overlapping modifiers resolve longest-first, so
"no answer" (ATTEMPTED) beats "no" (NEGATED) and pseudo phrases ("no further
action") switch nothing on. Each modifier sets its flag on the targets in its scope
(direction, `max_scope` tokens, stopped by the sentence edge and by terminators).
Section flags ("Plan:" → hypothetical), questions ("?relapse", "... DV?") and `self`
rules (the target's own words: "left a voicemail for SW" → attempted) apply too. Every flag records the rule id that set it in `span._.context_rules`.

Each target also gets `span._.context_cues`: the nearest modifier of each category on each
side, whether or not it reached the target, with its distance and any punctuation between
(`nearest_cues`). The learned context model reads them to learn how far each kind of cue
really reaches ("No new concerns from police or [[CSC]]" against
"NO RECALL - [[SPO]] agrees ...").
"""

from __future__ import annotations

import datetime as dt
import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp import _extensions  # noqa: F401
from pipeline.nlp.rulefile import RuleMatcher, load_rules
from pipeline.nlp.sentencizer import BULLETS
from pipeline.nlp.target_matcher import all_targets


@Language.factory("probation_context", default_config={"rules": "context"})
def make_context(nlp: Language, name: str, rules: str):
    return ConText(nlp, rules=rules)


class ConText:
    def __init__(self, nlp: Language, rules: str = "context"):
        data = load_rules(rules)
        self.flags = data["categories"]
        self.rules = {r["id"]: r for r in data["rules"]}
        self.sections = {s["category"]: s for s in data.get("sections", []) if s.get("flag")}
        self.matcher = RuleMatcher(nlp, data)
        self.self_rules = [r for r in data["rules"] if r.get("self")]
        self.target_regex = {
            rid: re.compile(r["target_regex"], re.I) for rid, r in self.rules.items() if r.get("target_regex")
        }

    def __call__(self, doc: Doc) -> Doc:
        targets = all_targets(doc)
        if not targets:
            return doc
        for ent in targets:
            ent._.context_rules, ent._.context_cues = [], []
            for flag in self.flags.values():
                setattr(ent._, flag, False)
        note_year = doc._.note_year or dt.date.today().year - 1  # unknown: assume a recent note
        sents = {ent.sent.start: ent.sent for ent in targets}
        for sent in sents.values():
            ents = [e for e in targets if sent.start <= e.start < sent.end]
            found = self._modifiers(doc, sent)
            for ent in ents:
                ent._.context_cues = nearest_cues(ent, found)
                # overlapping modifiers resolve per target, among those that apply to its label
                modifiers = _longest_first([m for m in found if self._applies(m[2], ent)])
                terminators = [m for m in modifiers if m[2]["category"] == "TERMINATE"]
                for start, end, rule in modifiers:
                    if rule["category"] in ("PSEUDO", "TERMINATE"):
                        continue
                    if rule.get("year_before_note") and not _old_year(doc[start:end].text, note_year, rule):
                        continue
                    lo, hi = self._scope(sent, start, end, rule, terminators)
                    if _in_scope(ent, start, end, lo, hi, rule.get("direction", "forward")):
                        self._set(ent, self.flags[rule["category"]], rule["id"])
                for rule in self.self_rules:
                    if self._applies(rule, ent) and (not rule.get("at_start") or _starts_item(sent, ent)):
                        self._set(ent, self.flags[rule["category"]], rule["id"])
                section = self.sections.get(doc[ent.start]._.section)
                if section and (not section.get("labels") or ent.label_ in section["labels"]):
                    self._set(ent, section["flag"], section["id"])
                if _is_question(sent, ent):
                    self._set(ent, "hypothetical", "question")
        return doc

    def _modifiers(self, doc: Doc, sent: Span):
        found = []
        for rid, start, end in self.matcher(doc[sent.start : sent.end]):
            rule = self.rules[rid]
            if any(e.start <= start and end <= e.end and e.label_ not in rule.get("inside_labels", ()) for e in sent.ents):
                continue  # a cue wholly inside a target ("referred to CGL") is part of it, unless the rule says
                # it may name a target of that label ("[[Partner]] was [[drunk]]": the partner is the subject)
            found.append((start, end, rule))
        return found

    @staticmethod
    def _scope(sent: Span, start: int, end: int, rule: dict, terminators) -> tuple[int, int]:
        direction = rule.get("direction", "forward")
        reach = rule.get("max_scope", 6)
        lo, hi = start, end
        stops = set(rule.get("stop_at", []))
        doc = sent.doc
        if direction in ("forward", "both"):
            hi = min(sent.end, end + reach)
            for t_start, _, _ in terminators:
                if end <= t_start < hi:
                    hi = t_start
            for i in range(end, hi):
                if doc[i].text in stops or (rule.get("list_commas") and doc[i].text == "," and not _list_goes_on(doc, i)):
                    hi = i
                    break
        if direction in ("backward", "both"):
            lo = max(sent.start, start - reach)
            for _, t_end, _ in terminators:
                if lo < t_end <= start:
                    lo = t_end
            for i in range(start - 1, lo - 1, -1):
                if doc[i].text in stops:
                    lo = i + 1
                    break
        return lo, hi

    def _applies(self, rule: dict, ent: Span) -> bool:
        if rule.get("labels") and ent.label_ not in rule["labels"]:
            return False
        if ent.label_ in rule.get("except_labels", []):
            return False
        regex = self.target_regex.get(rule["id"])
        return not regex or bool(regex.search(ent.text))

    @staticmethod
    def _set(ent: Span, flag: str, rule_id: str) -> None:
        setattr(ent._, flag, True)
        if rule_id not in ent._.context_rules:
            ent._.context_rules = [*ent._.context_rules, rule_id]


LIST_FILLERS = {"any", "a", "an", "his", "her", "their", "the", "or", "nor", "and", "no", "other"}


CUE_BARRIERS = {",", ";", "-", ":", "/", "(", ")"}


def nearest_cues(ent: Span, found) -> list[list]:
    """The nearest modifier of each category on each side of `ent` among the sentence's
    modifiers `found` (fired or not): ``[category, "L" or "R", tokens between, punctuation
    marks between]``. A modifier overlapping the target is not a side's cue."""
    doc, best = ent.doc, {}
    for start, end, rule in found:
        if end <= ent.start:
            side, lo, hi = "L", end, ent.start
        elif start >= ent.end:
            side, lo, hi = "R", ent.end, start
        else:
            continue
        key = (rule["category"], side)
        if key not in best or hi - lo < best[key][2]:
            best[key] = [rule["category"], side, hi - lo, sum(t.text in CUE_BARRIERS for t in doc[lo:hi])]
    return sorted(best.values())


def _list_goes_on(doc, comma: int) -> bool:
    """After a comma, does a list of targets continue ("no DA, RO or children")?"""
    j = comma + 1
    while j < len(doc) and j <= comma + 3 and doc[j].lower_ in LIST_FILLERS:
        j += 1
    return j < len(doc) and any(e.start == j for e in doc.ents)


def _longest_first(found):
    """Resolve overlapping modifiers: a pseudo phrase blocks the cues it overlaps
    ("no further action" blocks "no"), except a cue on exactly the same words; otherwise overlaps resolve longest-first within a
    category, so "Nil" can be read both forward and backward and "not yet completed"
    (planned) does not hide "have not" (negated)."""
    pseudo = [m for m in found if m[2]["category"] == "PSEUDO"]
    kept = [m for m in found if m[2]["category"] == "PSEUDO" or not any(
        p[0] < m[1] and m[0] < p[1] and (p[0], p[1]) != (m[0], m[1]) for p in pseudo)]
    result = []
    # categories in the order the matcher found them (a set's order changes with the hash seed,
    # which made the order of `context_rules`, and so of the mentions file, differ between runs)
    for category in dict.fromkeys(m[2]["category"] for m in kept):
        same = sorted((m for m in kept if m[2]["category"] == category), key=lambda m: (-(m[1] - m[0]), m[0]))
        taken: set[tuple[int, str]] = set()
        for start, end, rule in same:
            keys = {(i, rule.get("direction", "forward")) for i in range(start, end)}
            if taken.isdisjoint(keys):
                result.append((start, end, rule))
                taken.update(keys)
    return sorted(result, key=lambda m: m[0])


def _starts_item(sent: Span, ent: Span) -> bool:
    """The target opens its sentence or list item (only spaces, bullets, numbers or a heading's
    colon before it): "Discuss with SPO", "- liaise with AP", "2. refer to CGL"."""
    for t in reversed(sent.doc[sent.start:ent.start]):
        if t.is_space or t.text in BULLETS or t.text in (".", ")"):  # "2." and "2)" tokenize as number + mark
            continue
        return t.text == ":" or bool(t.like_num)
    return True


def _in_scope(ent: Span, start: int, end: int, lo: int, hi: int, direction: str) -> bool:
    """A cue applies to targets after it (forward) or before it (backward) within its scope.

    A cue may share words with a target ("Will email" / "email the CMHT"): a forward cue
    applies to a target that starts after the cue starts, a backward cue to one that ends
    before the cue ends.
    """
    forward = direction in ("forward", "both") and start < ent.start < hi
    backward = direction in ("backward", "both") and lo < ent.end < end
    return forward or backward


def _old_year(text: str, note_year: int, rule: dict) -> bool:
    digits = re.sub(r"\D", "", text)
    return len(digits) == 4 and int(digits) <= note_year - rule["year_before_note"]


def _is_question(sent: Span, ent: Span) -> bool:
    before = sent.doc[ent.start - 1] if ent.start > sent.start else None
    return (before is not None and before.text == "?") or sent.text.rstrip().endswith("?")
