"""pipeline.nlp.rulefile: rule files and template → Matcher pattern compilation."""

from __future__ import annotations

import pytest
from spacy.matcher import Matcher

from pipeline.nlp.rulefile import RuleMatcher, compile_template, load_rules

LEXICON = {
    "det": ["his", "her", "the"],
    "agency": ["SW", "CMHT", "children's services", "drug worker"],
    "verb": ["spoke to", "emailed"],
}


def _matches(nlp, patterns, text):
    matcher = Matcher(nlp.vocab)
    matcher.add("R", patterns)
    doc = nlp(text)
    return {doc[s:e].text for _, s, e in matcher(doc)}


@pytest.mark.parametrize("template, text, expected", [
    ("{verb} {det?} {agency}", "Spoke to the SW today", {"Spoke to the SW"}),         # optional slot filled
    ("{verb} {det?} {agency}", "emailed CMHT", {"emailed CMHT"}),                     # optional slot empty
    ("{verb} {det?} {agency}", "EMAILED HER DRUG WORKER", {"EMAILED HER DRUG WORKER"}),  # caps, multi-word entry
    ("{verb} {det?} {agency}", "emailed children's services", {"emailed children's services"}),  # tokenised "'s"
    ("home visit", "Home Visit done", {"Home Visit"}),                                # literal words, any case
    ("{verb} {agency}", "spoke to his SW", set()),                                     # no det slot: no match
    ("{verb} {det?} {agency}", "emailed police", set()),                              # not in the lexicon
])
def test_rulefile_template_matches_exactly_its_phrases(blank_nlp, template, text, expected):
    rules = {"lexicon": LEXICON, "rules": [{"id": "r", "label": "X", "templates": [template]}]}
    doc = blank_nlp(text)

    assert {doc[s:e].text for _, s, e in RuleMatcher(blank_nlp, rules)(doc)} == expected


def test_rulefile_compiled_patterns_admit_every_phrase_in_one_pattern(blank_nlp, tokenize):
    patterns = compile_template("{verb} {det?} {agency}", LEXICON, tokenize)

    assert len(patterns) == 1  # one pattern per template, whatever the lexicon sizes: the Matcher stays fast
    for text in ("Spoke to the SW", "emailed CMHT", "EMAILED HER DRUG WORKER", "emailed children's services"):
        assert text in _matches(blank_nlp, patterns, text)


CROSS = {
    "lexicon": {"agency": ["victim support", "psych liaison", "drug worker"], "det": ["his", "the"]},
    "rules": [
        {"id": "agency.any", "label": "AGENCY", "templates": ["{det?} {agency}", "{agency} informed"]},
        {"id": "raw.breath", "label": "SUBSTANCE_USE", "patterns": [[{"LOWER": "blew"}, {"LIKE_NUM": True}]]},
        {"id": "literal.hv", "label": "HOME_VISIT", "templates": ["home visit"]},
    ],
}


@pytest.mark.parametrize("text, expected", [
    ("Spoke to psych liaison today", {("agency.any", "psych liaison")}),
    ("Victim support informed.", {("agency.any", "Victim support informed")}),
    ("Victim liaison informed.", set()),              # position-wise pattern admits it; the exact check drops it
    ("his drug support", set()),
    ("the drug worker", {("agency.any", "the drug worker")}),
    ("He blew 35 at HV", {("raw.breath", "blew 35")}),  # raw patterns are not template-checked
    ("Home visit done", {("literal.hv", "Home visit")}),
])
def test_rulematcher_keeps_only_exact_template_phrases(blank_nlp, text, expected):
    doc = blank_nlp(text)
    found = {(rid, doc[s:e].text) for rid, s, e in RuleMatcher(blank_nlp, CROSS)(doc)}

    assert found == expected


def test_rulematcher_a_wrong_long_candidate_does_not_hide_a_right_short_one(blank_nlp):
    rules = {"lexicon": {"agency": ["victim support", "psych liaison", "victim"]},
             "rules": [{"id": "contact", "label": "X", "templates": ["spoke to {agency}"]}]}
    doc = blank_nlp("Spoke to victim liaison today")  # "victim liaison" mixes two entries

    assert [doc[s:e].text for _, s, e in RuleMatcher(blank_nlp, rules)(doc)] == ["Spoke to victim"]


def test_rulematcher_keeps_the_longest_of_overlapping_matches_of_a_rule(blank_nlp):
    rules = {"lexicon": {"agency": ["drug worker", "drug"]},
             "rules": [{"id": "contact", "label": "X", "templates": ["{agency}", "spoke to {agency}"]}]}
    doc = blank_nlp("spoke to drug worker and drug")

    assert sorted(doc[s:e].text for _, s, e in RuleMatcher(blank_nlp, rules)(doc)) == ["drug", "spoke to drug worker"]


def test_rulematcher_gives_doc_offsets_for_a_span(blank_nlp):
    doc = blank_nlp("First bit. Then the drug worker and a home visit")
    window = doc[3:]

    found = {(rid, doc[s:e].text) for rid, s, e in RuleMatcher(blank_nlp, CROSS)(window)}

    assert found == {("agency.any", "the drug worker"), ("literal.hv", "home visit")}


@pytest.mark.parametrize("template", ["{det?}", "{det?} {det?}", "{det?} home visit", "{verb} {det?} {agency}"])
def test_rulefile_no_compiled_pattern_can_match_zero_tokens(tokenize, template):
    patterns = compile_template(template, LEXICON, tokenize)

    for pattern in patterns:
        assert any(token.get("OP") not in ("?", "*") for token in pattern), pattern


def test_rulefile_all_optional_template_matches_nothing_empty(blank_nlp, tokenize):
    patterns = compile_template("{det?}", LEXICON, tokenize)

    assert not patterns or _matches(blank_nlp, patterns, "seen in office") == set()


def test_when_template_names_unknown_list_then_key_error(tokenize):
    with pytest.raises(KeyError, match="nope"):
        compile_template("{verb} {nope}", LEXICON, tokenize)


@pytest.mark.parametrize("body, message", [
    ("rules:\n  - id: a\n  - id: a\n", "duplicate rule id a"),   # same id twice
    ("rules:\n  - label: CHILD\n", "has no id"),                  # id missing
])
def test_when_rule_ids_invalid_then_value_error(tmp_path, body, message):
    path = tmp_path / "bad.yaml"  # tmp_path is unique per test, so the lru_cache never serves a stale file
    path.write_text(body, encoding="utf-8")

    with pytest.raises(ValueError, match=message):
        load_rules(path)


def test_rulefile_loads_by_name_or_path(tmp_path):
    path = tmp_path / "mine.yaml"
    path.write_text("rules:\n  - id: x.one\n    label: CHILD\n", encoding="utf-8")

    assert load_rules(path)["rules"][0]["id"] == "x.one"
    assert {r["id"] for r in load_rules("gaps")["rules"]} >= {"CHILD_NO_SAFEGUARDING_CHECK", "NO_HOME_VISIT"}


@pytest.mark.parametrize("name", ["targets", "context", "gaps", "criteria", "contact_types"])
def test_rulefile_shipped_rule_files_load(name):
    data = load_rules(name)

    assert isinstance(data, dict) and data


def test_rulefile_gap_catalogue_has_the_twelve_spec_ids():
    ids = [r["id"] for r in load_rules("gaps")["rules"]]

    assert ids == [
        "CHILD_NO_SAFEGUARDING_CHECK", "PARTNER_NO_DA_CHECK", "NEW_RELATIONSHIP_NO_RESPONSE", "SUBSTANCE_NO_RESPONSE",
        "AGGRESSION_NO_RISK_REVIEW", "SELF_HARM_NO_RESPONSE", "VICTIM_ORDER_NO_MONITORING", "AGENCY_NO_LIAISON",
        "NO_HOME_VISIT", "REALLOCATION_NO_REVIEW", "CONTACT_BELOW_RISK_LEVEL", "RISK_ESCALATION_NO_OVERSIGHT",
    ]


def test_rulefile_every_target_template_compiles(blank_nlp, tokenize):
    data = load_rules("targets")
    for rule in data["rules"]:
        for template in rule.get("templates", []):
            assert compile_template(template, data["lexicon"], tokenize), (rule["id"], template)


def test_rulefile_refuses_an_entry_listed_twice(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("lexicon:\n  drug: [crack, heroin, crack]\nrules:\n  - id: a.b\n    label: X\n    templates: [x]\n")
    with pytest.raises(ValueError, match=r"lexicon drug lists \['crack'\] more than once"):
        load_rules(path)


def test_rulefile_refuses_unquoted_yaml_booleans_in_near_words(tmp_path):
    rules = tmp_path / "t.yaml"
    rules.write_text("rules:\n  - id: x.y\n    label: CHILD\n    templates: [kid]\n    near: {words: [no, not]}\n")
    with pytest.raises(ValueError, match="x.y: near words must be quoted"):
        load_rules(rules)


def test_rulefile_refuses_unquoted_yaml_booleans_in_trim_words(tmp_path):
    rules = tmp_path / "t.yaml"
    rules.write_text("trim:\n  - id: trim.x\n    side: trailing\n    words: [done, yes]\nrules: []\n")
    with pytest.raises(ValueError, match="trim.x: words must be quoted"):
        load_rules(rules)


def test_rulefile_checks_every_near_condition_of_a_list(tmp_path):
    rules = tmp_path / "t.yaml"
    rules.write_text("rules:\n  - id: x.y\n    label: CHILD\n    templates: [kid]\n"
                     "    near:\n      - {words: [school]}\n      - {words: [yes, park]}\n")
    with pytest.raises(ValueError, match="x.y: near words must be quoted"):
        load_rules(rules)


def test_rulefile_refuses_a_key_given_twice_in_one_rule(tmp_path):
    # a rule pasted into another's body: YAML alone would keep the last `words` silently
    rules = tmp_path / "t.yaml"
    rules.write_text("trim:\n  - id: a.b\n    side: trailing\n    words: [was]\n    side: cut_from\n    words: [at]\nrules: []\n")
    with pytest.raises(ValueError, match=r"t.yaml: line \d+: key\(s\) \['side', 'words'\] given twice"):
        load_rules(rules)
