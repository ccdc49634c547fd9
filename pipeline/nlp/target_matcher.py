"""`probation_target_matcher`: find the things gap rules need, from `rules/targets.yaml`.

Each rule has an id, a label and templates (see `rulefile.compile_template`). Overlaps
are resolved longest-first, so "children's services" (AGENCY) beats "children"
(CHILD) and "DA checks" (DA_CHECK) beats "DA" (DOMESTIC_ABUSE). Spans labelled
`IGNORE` only exist to win such overlaps ("working relationship" is not a partner);
they are then dropped from the entities and kept in `doc.spans["ignored"]`, so the span
model can see them and never tags over them. Labels listed as
`secondary_labels` (evidence for criteria, such as "partner present" for KEY_INDIVIDUAL)
resolve among themselves and go to `doc.spans["secondary"]`, so they never hide an
entity ("partner" stays a PARTNER entity inside it). Every span records the
rule that found it (`span._.rule_id`) and, where the label has kinds, its kind
(`span._.kind`: agency kind, RoSH level...).
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc, Span

from pipeline.nlp import _extensions  # noqa: F401  (registers extensions)
from pipeline.nlp.rulefile import RuleMatcher, load_rules, near_conditions

NAME_WORD = re.compile(r"[A-Z][a-z]+(?:[-'][A-Z]?[a-z]+)?")  # "Karen", "O'Neill", "Smith-Jones"; not "CSC"
SECONDARY = "secondary"  # the span group of secondary labels
IGNORED = "ignored"  # the span group of IGNORE matches that won their overlaps


def all_targets(doc: Doc) -> list[Span]:
    """The entities plus the secondary spans (`targets.yaml` `secondary_labels`)."""
    return [*doc.ents, *doc.spans.get(SECONDARY, [])]


@Language.factory("probation_target_matcher", default_config={"rules": "targets"})
def make_target_matcher(nlp: Language, name: str, rules: str):
    return TargetMatcher(nlp, rules=rules)


class TargetMatcher:
    def __init__(self, nlp: Language, rules: str = "targets"):
        data = load_rules(rules)
        self.rules = {r["id"]: r for r in data["rules"]}
        self.near = {r["id"]: [(c, {str(w).lower() for w in c["words"]}) for c in near_conditions(r)]
                     for r in data["rules"] if r.get("near")}
        self.matcher = RuleMatcher(nlp, data)
        self.kinds = kind_patterns(data.get("kinds", {}))
        self.relabel = data.get("relabel", {})
        self.secondary = set(data.get("secondary_labels", []))
        self.relabel_unless = re.compile(data["relabel_unless"], re.I) if data.get("relabel_unless") else None
        self.incoming_labels = set(data.get("incoming_labels", ["AGENCY_CONTACT"]))
        lexicon = data.get("lexicon", {})
        self.trims = [
            {**t, "words": _token_lists(nlp, [*t.get("words", []), *(e for name in t.get("lexicons", []) for e in lexicon[name])])}
            for t in data.get("trim", [])
        ]

        self.name_rules = [
            {**r, "after": _token_lists(nlp, r["after"]),
             "not_names": {str(w).lower() for w in r.get("not_names", [])}}
            for r in data.get("extend_names", [])
        ]

        self.model_guards = [
            {**g, "words": {str(w).lower() for w in g["words"]},
             "near": word_regex([*g.get("near", []), *(e for name in g.get("near_lexicons", []) for e in lexicon[name])]),
             "objects": {str(w).lower() for w in g.get("objects", [])},
             "not_objects": {str(w).lower() for w in g.get("not_objects", [])}}
            for g in data.get("model_guards", [])
        ]

    def __call__(self, doc: Doc) -> Doc:
        spans = []
        for rid, start, end in self.matcher(doc):
            rule = self.rules[rid]
            if not all(self._near_ok(doc, start, end, near, words) for near, words in self.near.get(rid, ())):
                continue
            span = Span(doc, start, end, label=rule["label"])
            spans.append((span, rule["id"]))
        primary = [sr for sr in spans if sr[0].label_ not in self.secondary]
        secondary = [sr for sr in spans if sr[0].label_ in self.secondary]
        kept, ignored = [], []
        for span, rid in self._resolve_overlaps(primary):
            if span.label_ == "IGNORE":
                ignored.append(span)
                continue
            kind = self.kind_of(span)
            label = span.label_
            if self.relabel_unless and span.label_ in self.incoming_labels and self.relabel_unless.search(span.text):
                label = "AGENCY_CONTACT"  # incoming contact from any agency
                kind = self.kind_of(Span(doc, span.start, span.end, label=label))
            else:
                label = self.relabel.get(span.label_, {}).get(kind, span.label_)
            start, end = self._trim(doc, span.start, span.end, label)
            span = Span(doc, start, end, label=label)
            kept.append((span, rid, kind))
        kept = self.with_names(doc, kept)
        doc.ents = [s for s, _, _ in kept]
        doc.spans[IGNORED] = ignored
        secondary = self._resolve_overlaps(secondary)
        doc.spans[SECONDARY] = [s for s, _ in secondary]
        for span, rid, kind in kept:
            span._.rule_id = rid
            span._.kind = kind
        for span, rid in secondary:
            span._.rule_id = rid
        return doc

    def _resolve_overlaps(self, spans: list[tuple[Span, str]]) -> list[tuple[Span, str]]:
        """Longest first; on a tie the rule with the higher `priority`, then the earlier."""
        order = sorted(
            spans,
            key=lambda sr: (-len(sr[0]), -self.rules[sr[1]].get("priority", 0), sr[0].start),
        )
        taken: set[int] = set()
        result = []
        for span, rid in order:
            if taken.isdisjoint(range(span.start, span.end)):
                result.append((span, rid))
                taken.update(range(span.start, span.end))
        return sorted(result, key=lambda sr: sr[0].start)

    def _trim(self, doc: Doc, start: int, end: int, label: str) -> tuple[int, int]:
        """Drop cue and status words at the edges (`trim` in targets.yaml), never the whole span."""
        words = [t.lower_ for t in doc[start:end]]
        lo, hi = 0, len(words)
        for trim in self.trims:
            if label in trim.get("except_labels", ()) or (trim.get("labels") and label not in trim["labels"]):
                continue
            changed = True
            while changed:
                changed = False
                for phrase in trim["words"]:
                    n = len(phrase)
                    if hi - lo <= n:
                        continue
                    if trim["side"] == "leading" and words[lo:lo + n] == phrase:
                        lo, changed = lo + n, True
                    elif trim["side"] == "trailing" and words[hi - n:hi] == phrase:
                        hi, changed = hi - n, True
                    elif trim["side"] == "cut_from" and phrase[0] in words[lo + 1:hi]:
                        hi, changed = lo + 1 + words[lo + 1:hi].index(phrase[0]), True
                    if changed:
                        break
        return start + lo, start + hi

    def with_names(self, doc: Doc, items: list[tuple]) -> list[tuple]:
        """`extend_names` in targets.yaml: a contact span ending with a worker word takes the
        worker's name after it ("spoke to SW [Karen Doyle]"). `items` are (span, ...) tuples
        sorted by start; a name is never taken from inside the next span."""
        out = []
        for k, (span, *rest) in enumerate(items):
            limit = items[k + 1][0].start if k + 1 < len(items) else len(doc)
            end = self._name_end(doc, span, limit)
            out.append((Span(doc, span.start, end, label=span.label_) if end != span.end else span, *rest))
        return out

    def _name_end(self, doc: Doc, span: Span, limit: int) -> int:
        words = [t.lower_ for t in span]
        for rule in self.name_rules:
            if span.label_ not in rule["labels"] or not any(words[-len(a):] == a for a in rule["after"] if len(a) <= len(words)):
                continue
            end = span.end
            while (end < limit and end - span.end < rule["max"] and NAME_WORD.fullmatch(doc[end].text)
                   and doc[end].lower_ not in rule["not_names"] and not doc[end].is_sent_start):
                end += 1
            return end
        return span.end

    def model_span_allowed(self, span: Span) -> bool:
        """`model_guards` in targets.yaml: a span-model span that is only a bare result word
        ("Positive.", or "Positive role" with no test or substance word after the result word)
        stands only if the note says something about a test or a substance
        (`near`); a bare use verb does not stand when the word after it is an object that is not
        a substance ("uses Facebook", "uses his phone": `objects`)."""
        for guard in self.model_guards:
            if span.label_ not in guard["labels"]:
                continue
            if guard["objects"]:
                if span.text.lower() in guard["words"]:
                    return not self._other_object(span, guard)
            elif self._result_word_alone(span, guard):
                return bool(guard["near"].search(span.doc.text.lower()))
        return True

    @staticmethod
    def _result_word_alone(span: Span, guard: dict) -> bool:
        """The span is a result word ("Positive."), or starts with one and names no test or
        substance after it ("Positive role" in "doing his dad's shopping. Positive role.")."""
        if span.text.lower() in guard["words"]:
            return True
        return span[0].lower_ in guard["words"] and not guard["near"].search(span[1:].text.lower())

    @staticmethod
    def _other_object(span: Span, guard: dict) -> bool:
        """The token after the span, on the same line, is an object that `near` does not name:
        one of `objects`, or a capitalised word ("Facebook", "TikTok") that is not in
        `not_objects` (days, months) and not in capitals throughout ("USING AGAIN"). A
        substance in the next four words ("using his mum's methadone") keeps the span."""
        doc = span.doc
        if span.end >= len(doc) or doc[span.end].is_space or not doc[span.end - 1].whitespace_:
            return False
        after = doc[span.end]
        if guard["near"].search(doc[span.end:span.end + 4].text.lower()) or after.lower_ in guard["not_objects"]:
            return False
        return after.lower_ in guard["objects"] or (after.is_alpha and after.text[0].isupper() and not after.is_upper)

    def kind_of(self, span: Span) -> str | None:
        """The kind (agency kind, RoSH level...) the `kinds` table gives this span's text."""
        text = span.text.lower()
        for kind, regex in self.kinds.get(span.label_, []):
            if regex.search(text):
                return kind
        return None

    @staticmethod
    def _near_ok(doc: Doc, start: int, end: int, near: dict, words: set[str]) -> bool:
        window = near.get("window", 4)
        lo, hi = max(0, start - window), min(len(doc), end + window)
        side = near.get("side")
        before = side != "after" and any(t.lower_ in words for t in doc[lo:start])
        after = side != "before" and any(t.lower_ in words for t in doc[end:hi])
        return before or after


def _token_lists(nlp: Language, phrases) -> list[list[str]]:
    """Each phrase as lower-cased tokens, tokenized as notes are ("wouldn't" → would, n't),
    longest first."""
    return sorted(([tok.lower_ for tok in nlp.make_doc(str(p))] for p in phrases), key=len, reverse=True)


def kind_patterns(kinds: dict) -> dict[str, list[tuple[str, re.Pattern]]]:
    """The `kinds` table of targets.yaml as label → [(kind, regex)], in the table's order."""
    return {label: [(kind, word_regex(words)) for kind, words in table.items()] for label, table in kinds.items()}


def word_regex(words: list[str]) -> re.Pattern:
    """One regex matching any of the words or phrases as whole words (longest first), for lower-cased text."""
    alts = sorted((re.escape(str(w).lower()) for w in words), key=len, reverse=True)
    return re.compile(r"(?<![\w])(" + "|".join(alts) + r")(?![\w])")
