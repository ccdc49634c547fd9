"""Load rule files (YAML beside the code) and compile phrase templates to Matcher patterns.

A template is a phrase with slots: ``"{contact_verb} {prep?} {det?} {agency}"``.
A slot names a lexicon list; ``?`` makes it optional; ``{NAME}`` is any capitalised
word that does not start a sentence (a person's name). Words outside braces match
case-insensitively. Multi-word lexicon entries are tokenised with the pipeline's own
tokenizer, so "children's services" and "ex-partner" match as spaCy splits them.

For speed, a slot becomes one run of token positions: position i matches any word
seen at position i of an entry, and positions past the shortest entry are optional (so
"drug worker" and "housing officer" also admit "drug officer", and "sw" admits
"sw worker"). A template is then one Matcher pattern instead of hundreds. `RuleMatcher`
checks every match exactly against the rule's templates (a regular expression over the
lower-cased tokens), so those extra combinations ("his police", "victim liaison" from
"victim support" and "psych liaison") are dropped, and only then keeps the longest
match of each rule (as the Matcher's ``greedy="LONGEST"`` would, but after the check,
so a wrong long candidate cannot hide a right short one).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from spacy.matcher import Matcher, PhraseMatcher

from pipeline.config import RULES_DIR

SLOT = re.compile(r"^\{(\w+)(\?)?\}$")


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe loader that refuses a key given twice in one mapping (YAML would keep the last
    silently: a rule pasted into another rule's body would lose its own keys)."""

    def construct_mapping(self, node, deep=False):
        keys = [self.construct_object(k, deep=deep) for k, _ in node.value]
        twice = sorted({str(k) for k in keys if keys.count(k) > 1})
        if twice:
            raise ValueError(f"line {node.start_mark.line + 1}: key(s) {twice} given twice in one mapping")
        return super().construct_mapping(node, deep=deep)


@lru_cache(maxsize=None)
def load_rules(name: str | Path) -> dict:
    """Read a rule file by name (``targets`` → ``pipeline/rules/targets.yaml``) or path."""
    path = Path(name)
    if not path.suffix:
        path = RULES_DIR / f"{name}.yaml"
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)  # noqa: S506 (a SafeLoader subclass)
    except ValueError as err:
        raise ValueError(f"{path.name}: {err}") from None
    _check_ids(data, path)
    _check_phrase_lists(data, path)
    return data


def near_conditions(rule: dict) -> list[dict]:
    """A rule's `near`: one condition (a mapping) or a list of them, all of which must hold."""
    near = rule.get("near") or []
    return near if isinstance(near, list) else [near]


def _check_ids(data: dict, path: Path) -> None:
    seen: set[str] = set()
    for rule in data.get("rules", []):
        rid = rule.get("id")
        if not rid:
            raise ValueError(f"{path.name}: a rule has no id: {rule}")
        if rid in seen:
            raise ValueError(f"{path.name}: duplicate rule id {rid}")
        seen.add(rid)


def _check_phrase_lists(data: dict, path: Path) -> None:
    """Lexicon lists, templates, headings, trim words and `near` words: no YAML booleans (a
    bare no, yes or on is read as one), no entry twice."""
    lists = [(f"lexicon {name}", words) for name, words in (data.get("lexicon") or {}).items()]
    for item in [*data.get("rules", []), *data.get("sections", []), *data.get("trim", [])]:
        for key in ("templates", "headings", "words"):
            lists.append((f"{item.get('id')}: {key}", item.get(key) or []))
        for cond in near_conditions(item):
            lists.append((f"{item.get('id')}: near words", cond.get("words", [])))
    for where, words in lists:
        bad = [w for w in words if isinstance(w, bool)]
        if bad:
            raise ValueError(f"{path.name}: {where} must be quoted strings, got {bad!r} (YAML reads a bare no/yes/on as a boolean)")
        seen: set[str] = set()
        twice = sorted({str(w) for w in words if str(w) in seen or seen.add(str(w))})
        if twice:
            raise ValueError(f"{path.name}: {where} lists {twice} more than once")


def _parse(template: str, lexicon: dict, tokenize) -> list[tuple[str, bool, list]]:
    """A template's parts, in order, as (kind, optional, words): ("name", optional, []) for
    ``{NAME}``, ("words", False, lower-cased tokens) for literal words, ("slot", optional,
    one lower-cased token list per lexicon entry) for ``{list}``. `compile_template` and
    `template_regex` both read a template through this, so the two never disagree."""
    parts = []
    for part in template.split():
        if part in ("{NAME}", "{NAME?}"):  # a capitalised word: a name ("referred Phoebe to CAMHS")
            parts.append(("name", part.endswith("?}"), []))
            continue
        slot = SLOT.match(part)
        if not slot:
            parts.append(("words", False, [w.lower() for w in tokenize(part)]))
            continue
        name = slot.group(1)
        if name not in lexicon:
            raise KeyError(f"template {template!r}: unknown lexicon list {name!r}")
        parts.append(("slot", bool(slot.group(2)), [[w.lower() for w in tokenize(str(entry))] for entry in lexicon[name]]))
    return parts


def compile_template(template: str, lexicon: dict, tokenize) -> list[list[dict]]:
    """One spaCy Matcher pattern for a template (none if every part is optional)."""
    pattern: list[dict] = []
    for kind, optional, words in _parse(template, lexicon, tokenize):
        if kind == "name":
            pattern.append({"IS_TITLE": True, "IS_SENT_START": False, **({"OP": "?"} if optional else {})})
        elif kind == "words":
            pattern.extend({"LOWER": w} for w in words)
        else:
            shortest = 0 if optional else min(len(entry) for entry in words)
            positions = [sorted({entry[i] for entry in words if len(entry) > i})
                         for i in range(max(len(entry) for entry in words))]
            pattern.extend({"LOWER": {"IN": ws}, **({"OP": "?"} if i >= shortest else {})} for i, ws in enumerate(positions))
    return [pattern] if any(t.get("OP") != "?" for t in pattern) else []


class RuleMatcher:
    """Every rule of a rule file: literal templates in a PhraseMatcher, templates with slots
    (and raw `patterns`) in a Matcher, each template match checked exactly. Call it on a
    Doc or a Span; it returns (rule id, start, end) with doc offsets."""

    RAW = "::patterns"

    def __init__(self, nlp, data: dict):
        self.matcher, self.phrases = Matcher(nlp.vocab), PhraseMatcher(nlp.vocab, attr="LOWER")
        lexicon = data.get("lexicon", {})

        @lru_cache(maxsize=None)  # the same lexicon entries recur in hundreds of templates
        def tokenize(text: str) -> tuple[str, ...]:
            return tuple(t.text for t in nlp.tokenizer(text))

        self.exact: dict[str, re.Pattern] = {}
        for rule in data["rules"]:
            raw, patterns, literals, shapes = list(rule.get("patterns", [])), [], [], []
            for template in rule.get("templates", []):
                if is_literal(str(template)):
                    literals.append(nlp.make_doc(str(template)))
                else:
                    patterns.extend(compile_template(template, lexicon, tokenize))
                    shapes.append(template_regex(template, lexicon, tokenize))
            if patterns:
                self.matcher.add(rule["id"], patterns)  # every candidate: checked, then longest kept
                self.exact[rule["id"]] = re.compile("|".join(f"(?:{s})" for s in shapes))
            if raw:
                self.matcher.add(rule["id"] + self.RAW, raw, greedy="LONGEST")
            if literals:
                self.phrases.add(rule["id"], literals)

    def __call__(self, doclike) -> list[tuple[str, int, int]]:
        doc = doclike.doc if hasattr(doclike, "doc") else doclike
        offset = doclike.start if doclike is not doc else 0
        strings = doc.vocab.strings
        found, candidates = [], {}
        # the Matcher gives offsets relative to a Span, the PhraseMatcher relative to the doc
        for match_id, start, end in self.matcher(doclike) if len(self.matcher) else ():
            key, start, end = strings[match_id], start + offset, end + offset
            if key.endswith(self.RAW):
                found.append((key[: -len(self.RAW)], start, end))
            elif self.exact[key].fullmatch(" ".join(t.lower_ for t in doc[start:end]) + " "):
                candidates.setdefault(key, set()).add((start, end))
        for key, pairs in candidates.items():
            found.extend((key, start, end) for start, end in _longest(pairs))
        found.extend((strings[m], s, e) for m, s, e in self.phrases(doclike))
        return found


def _longest(pairs) -> list[tuple[int, int]]:
    """Non-overlapping matches, longest first, then the earliest (spaCy's greedy LONGEST)."""
    taken: set[int] = set()
    kept = []
    for start, end in sorted(pairs, key=lambda p: (p[1] - p[0], -p[0]), reverse=True):
        if taken.isdisjoint(range(start, end)):
            kept.append((start, end))
            taken.update(range(start, end))
    return kept


def template_regex(template: str, lexicon: dict, tokenize) -> str:
    """The exact phrases of a template, as a regex over lower-cased tokens each followed by a space."""
    regex = []
    for kind, optional, words in _parse(template, lexicon, tokenize):
        if kind == "name":
            regex.append(r"(?:\S+ )" + ("?" if optional else ""))
        elif kind == "words":
            regex.append("".join(re.escape(w) + " " for w in words))
        else:
            entries = {"".join(re.escape(w) + " " for w in entry) for entry in words}
            regex.append("(?:" + "|".join(sorted(entries, key=len, reverse=True)) + ")" + ("?" if optional else ""))
    return "".join(regex)


def is_literal(template: str) -> bool:
    """A template with no slots: matched by a PhraseMatcher (fast for any number of phrases)."""
    return not any(SLOT.match(part) or part.startswith("{NAME") for part in template.split())
