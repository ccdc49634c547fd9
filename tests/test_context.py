"""pipeline.nlp.context: ConText flags on target spans (GUIDELINES section 3).

Rows give (note text, span text, expected flags). Flags not listed must be off.
"""

from __future__ import annotations

import pytest

from pipeline.config import CONTEXT_FLAGS
from pipeline.nlp.target_matcher import all_targets
from pipeline.nlp.rulefile import load_rules

NEG, HYP, HIST, OTHER, ATT = "negated", "hypothetical", "historical", "other_person", "attempted"


def _bug(row, reason):
    return pytest.param(*row, marks=pytest.mark.xfail(reason=reason, strict=True))




def _values(row):
    return row.values if hasattr(row, "marks") else row


def _span(doc, text):
    found = [e for e in all_targets(doc) if e.text == text]
    assert found, f"no span {text!r} in {[(e.text, e.label_) for e in all_targets(doc)]}"
    return found[0]


def _flags(span):
    return {f for f in CONTEXT_FLAGS if getattr(span._, f)}


CASES = [
    # ---------------------------------------------------------------- plain: nothing set
    ("Lives with partner and her 3 children.", "3 children", set()),      # partner's kids are in his life
    ("Lives with partner and her 3 children.", "partner", set()),
    ("SFGC sent today.", "SFGC", set()),                                   # requested = done, not hyp
    ("Police DA check requested.", "Police DA check", set()),
    ("Kicked off in the waiting room last night.", "Kicked off", set()),
    ("Says he would be better off dead.", "better off dead", set()),  # reported speech, still current
    ("He has a son aged 4.", "son", set()),                                 # an age cue never makes a child history
    ("Results: opiates +ve, cocaine -ve.", "cocaine -ve", {"negated"}),     # the result word at the end (neg.self)
    ("Results: opiates +ve, cocaine -ve.", "opiates +ve", set()),
    ("CMHT not informed of the address change.", "CMHT", {"negated"}),     # absence after the agency (neg.following)
    ("DA - nil.", "DA", {"negated"}),                                      # a result word after the item (neg.following_result)
    ("SFGC back - not known.", "SFGC", set()),                             # ... after a check it is the check's result
    ("DA check came back clear.", "DA check", set()),
    ("Children's services checks completed, family not known.", "Children's services checks", set()),
    ("SFGC not requested.", "SFGC", {"negated"}),                          # the check itself absent
    ("Stayed off the heroin since release.", "heroin", {"negated"}),       # the use has stopped (neg.off_the)
    ("Says he walks off now rather than kicking off.", "kicking off", {"negated"}),  # the thing not done (neg.rather_than)
    ("Wants help to get off the heroin.", "heroin", set()),                # still using (pseudo.get_off_the)
    ("Plan:\n- discuss with SPO\n- refer to CGL", "discuss with SPO", {"hypothetical"}),  # an instruction (hyp.imperative)
    ("2. Liaise with AP re curfew", "Liaise with AP", {"hypothetical"}),
    ("Tried to ring GP, no answer.", "ring GP", {"attempted"}),            # not an instruction: mid-sentence
    ("Consider DVDS re new partner.", "DVDS", {"hypothetical"}),
    ("Knives found in his room, police not called.", "police", {"negated"}),
    ("Seen by CAMHS aged 14 after cutting at school.", "cutting", {"historical"}),  # hist.age
    ("Took an OD when he was 17.", "OD", {"historical"}),                         # hist.age
    ("Grew up around heroin use.", "heroin use", {"historical"}),                # hist.cue
    # ---------------------------------------------------------------- negated
    ("Drug-free for 5 months now.", "Drug-free", {"negated"}),           # abstinence names the use to deny it
    ("SH risk remains high.", "SH", {"hypothetical"}),                    # a risk of a behaviour is not the behaviour
    ("6. CONTINGENCY\nIf he breaches the licence, recall.", "breaches", {"hypothetical"}),  # a contingency plan
    ("He has no children.", "children", {NEG}),
    ("Not in a relationship at present.", "relationship", {NEG}),
    ("No DA call-outs recorded.", "DA call-outs", {NEG}),
    ("Denies drug use.", "drug use", {NEG}),
    ("Nil DV reported.", "DV", {NEG}),
    ("No DV but partner is pregnant.", "DV", {NEG}),                       # before the terminator
    ("No DV but partner is pregnant.", "pregnant", set()),                 # after "but": scope ended
    ("No drug use disclosed, however he smelt of alcohol.", "smelt of alcohol", set()),
    ("HV not done.", "HV", {NEG}),                                         # GUIDELINES example
    ("HV not done due to sickness.", "HV", {NEG}),
    # ---------------------------------------------------------------- planned / hypothetical
    ("Will request SFGC.", "SFGC", {HYP}),
    ("will request SFGC re the 2 kids", "SFGC", {HYP}),                    # no caps, no stop
    ("To complete HV next week.", "HV", {HYP}),
    ("Plan: DA checks", "DA checks", {HYP}),                               # plan section
    ("Plan:\n- HV\n- SFGC", "SFGC", {HYP}),                                # bullet under a plan heading
    ("?relapse", "relapse", {HYP}),                                        # query
    ("Partner ?pregnant", "pregnant", {HYP}),
    ("Partner pregnant?", "pregnant", {HYP}),                              # sentence-final question
    ("If he starts a new relationship he must tell me.", "new relationship", {HYP}),  # conditional
    ("Safeguarding check to be requested.", "Safeguarding check", {HYP}),  # SPEC example
    # ---------------------------------------------------------------- historical
    ("Historic DV with ex in 2012.", "DV", {HIST}),
    ("Historic DV with ex in 2012.", "ex", {HIST}),
    ("CP plan ended 2019.", "CP plan", {HIST}),
    ("Previous partner (2015) was the victim.", "partner", {HIST}),
    ("Background:\nDV with ex", "DV", {HIST}),                             # history section
    ("DV with ex in 2023.", "DV", set()),                                  # last year: still current
    ("Used heroin in his 20s.", "Used heroin", {HIST}),                    # GUIDELINES example
    ("Used heroin years ago.", "Used heroin", {HIST}),
    ("Per the CPS summary he punched the victim twice.", "punched", {HIST}),  # the index offence as the CPS tells it
    ("On his last order he was recalled for drug use.", "recalled", {HIST}),
    # ---------------------------------------------------------------- other person
    ("His mate's kids were at the flat.", "kids", {OTHER}),
    ("His brother uses spice.", "uses spice", {OTHER}),
    ("Told me his brother uses spice.", "uses spice", {OTHER}),
    ("Another resident was aggressive.", "aggressive", {OTHER}),
    ("He was assaulted by another resident.", "assaulted", {OTHER}),       # PoP is the victim
    ("Partner was drunk when I arrived.", "drunk", {OTHER}),               # the subject is itself a target (inside_labels)
    ("Gf also using heroin, both at her flat.", "using heroin", {OTHER}),
    ("Partner says he was drunk.", "drunk", set()),                        # reported speech about the PoP stops the scope
    ("He and his brother were both drunk.", "drunk", set()),               # the PoP is in a joint subject (pseudo.joint_subject)
    ("PoP and another resident fighting on the stairs.", "fighting", set()),
    # ---------------------------------------------------------------- negated: the forms practice writes
    ("OASys review overdue, last done in May.", "OASys review", {NEG}),   # overdue is absent (GUIDELINES batch-5), not planned
    ("Case will not be reallocated while he is in hospital.", "reallocated", {NEG}),  # "won't" is not a plan (batch-7)
    ("Says he won't be back on the gear.", "back on the gear", {NEG}),
    ("Would not give a urine sample today.", "urine sample", set()),        # the act is refused, not the thing absent
    ("He would not stop kicking off at staff.", "kicking off", set()),
    ("Weekly report: 0 violent incidents, 1 late return.", "violent", {NEG}),  # a count of nought
    ("Asked about cannabis use - says no, not since Xmas.", "cannabis use", {NEG}),  # the answer, not a plan
    ("He blew 0.00 at reporting.", "blew 0.00", {NEG}),                    # the result says none (neg.self)
    ("He blew 0.35 at the door.", "blew 0.35", set()),                     # a reading is not a nought
    ("Children in household: 0", "Children", {NEG}),
    ("Didn't get to the safety plan today.", "safety plan", {NEG}),        # not got round to it: not done (neg.not_got_to)
    ("Ran out of time for the SFGC today.", "SFGC", {NEG}),
    ("SH: - / Children: 2", "SH", {NEG}),                                  # a checklist dash
    ("No SFGC done as the children live with their mum.", "children", set()),  # a reason clause ends the negation's scope
    # ---------------------------------------------------------------- attempted
    ("HV attempted - no answer.", "HV", {ATT}),                            # cue after the span; not negated
    ("Unable to complete HV as no one home.", "HV", {ATT}),                # "to complete" here is not a plan
    ("HV attempted, no answer.", "HV", {ATT}),                            # GUIDELINES example
    ("Called SW, no reply.", "Called SW", {ATT}),                         # GUIDELINES example
    # ---------------------------------------------------------------- pseudo (no flag)
    ("Not seeing his kids at the moment.", "kids", set()),
    ("No further concerns about the children.", "children", set()),       # the concern is negated, not the children
    ("No concerns about the kids, doing well at school.", "kids", set()),  # same, other wording
]


def _case_id(row):
    text, span, flags = _values(row)
    return f"{text[:40]}|{span}|{'+'.join(sorted(flags)) or 'none'}"


@pytest.mark.parametrize("text, span, flags", CASES, ids=[_case_id(r) for r in CASES])
def test_context_sets_flags(parse, text, span, flags):
    assert _flags(_span(parse(text), span)) == flags


YEARS_BACK = next(r for r in load_rules("context")["rules"] if r["id"] == "hist.year")["year_before_note"]


@pytest.mark.parametrize("offset, historical", [
    (12, True),               # long before the note
    (YEARS_BACK, True),       # exactly the configured distance (year_before_note)
    (YEARS_BACK - 1, False),  # one year short of it: still current
    (0, False),               # the note's own year
])
def test_context_year_is_historical_relative_to_note_year(parse, offset, historical):
    for note_year in (2014, 2024):
        ent = _span(parse(f"DV with ex in {note_year - offset}.", note_year=note_year), "DV")

        assert ent._.historical is historical, note_year
        assert ("hist.year" in ent._.context_rules) is historical


def test_context_old_year_does_not_make_a_child_historical(parse):
    doc = parse("His son was born in 2012 and lives with him.", note_year=2024)

    assert not _span(doc, "son")._.historical


def _rule_flags():
    data = load_rules("context")
    flags = {r["id"]: data["categories"].get(r["category"]) for r in data["rules"]}
    flags.update({s["id"]: s.get("flag") for s in data["sections"]})
    flags["question"] = "hypothetical"
    return flags


@pytest.mark.parametrize("text", sorted({_values(row)[0] for row in CASES}))
def test_context_every_set_flag_records_a_rule_id(parse, text):
    rule_flags = _rule_flags()
    for ent in parse(text).ents:
        recorded = {rule_flags.get(r) for r in ent._.context_rules}
        assert all(r in rule_flags for r in ent._.context_rules), ent._.context_rules
        assert _flags(ent) <= recorded, (ent.text, _flags(ent), ent._.context_rules)
        assert recorded - {None} <= _flags(ent)


def test_when_cue_inside_response_span_then_still_attempted(parse):
    doc = parse("Left voicemail for CMHT re his low mood.")
    responses = [e for e in doc.ents if e.label_ == "MENTAL_HEALTH_RESPONSE"]

    assert responses
    assert all(e._.attempted for e in responses)


def test_context_no_targets_is_a_no_op(parse):
    doc = parse("Seen in office, no issues, next appt 2/52.")

    assert list(doc.ents) == []


def test_context_flags_stay_inside_the_sentence(parse):
    doc = parse("He denies drug use.\nLives with partner and 2 kids.")

    assert _span(doc, "drug use")._.negated
    assert not _span(doc, "2 kids")._.negated
    assert not _span(doc, "partner")._.negated


@pytest.mark.parametrize("text, span, flag", [
    ("Seen in office. Denies drug use.", "drug use", NEG),                      # second sentence
    ("Seen at home.\nHe has no children.", "children", NEG),                    # after a line break
    ("Risk:\n- lives with gf\n- historic DV with ex", "DV", HIST),              # third line
    ("Seen today. His brother uses spice.", "uses spice", OTHER),  # after a full stop
    ("Seen today.\nHV attempted - no answer.", "HV", ATT),  # second line
])
def test_context_applies_in_every_sentence_not_only_the_first(parse, text, span, flag):
    assert flag in _flags(_span(parse(text), span))


def test_context_rules_are_empty_lists_when_nothing_applies(parse):
    doc = parse("Lives with his partner.")

    assert _span(doc, "partner")._.context_rules == []


def test_context_cues_record_the_nearest_modifier_each_side_even_out_of_scope(parse):
    # "No" is a negation cue 8 words before "CSC": out of neg.no's reach, but the learned
    # model still sees where it is and what stands between
    doc = parse("No contact from anyone since Monday, the school and the housing officer or CSC.")
    csc = _span(doc, "CSC")
    assert NEG not in _flags(csc)
    negated = [c for c in csc._.context_cues if c[0] == "NEGATED"]
    assert negated == [["NEGATED", "L", negated[0][2], 1]] and negated[0][2] > 6  # one comma between


def test_context_purpose_after_a_contact_is_recorded_as_a_pseudo_cue(parse):
    # "to see if" (pseudo.to_see_if) right after the contact: the context model sees a purpose, not only the "if"
    check = _span(parse("Rang CSC to see if the children are known."), "Rang CSC")
    assert ["PSEUDO", "R", 0, 0] in check._.context_cues and not check._.hypothetical
    referral = _span(parse("Referral to CGL if he relapses."), "Referral to CGL")
    assert not any(c[0] == "PSEUDO" for c in referral._.context_cues)


def test_context_condition_wording_after_an_order_is_a_pseudo_cue_not_a_negation(parse):
    # "not to enter" is what the exclusion zone says (pseudo.condition_wording): the context model
    # sees a pseudo cue beside the "not", as it does for "no concerns about" (sample X278905 read
    # the zone as negated)
    zone = _span(parse("Licence conditions include: exclusion zone - not to enter Hessle Road."), "exclusion zone")
    assert ["PSEUDO", "R", 1, 1] in zone._.context_cues and not zone._.negated
    # the HV after it is not an order: "not done" still negates it
    hv = _span(parse("HV - not done."), "HV")
    assert hv._.negated


def test_context_cues_are_empty_without_modifiers(parse):
    assert _span(parse("Spoke to SW today."), "Spoke to SW")._.context_cues == []


def test_overlapping_modifiers_resolve_in_the_order_found_whatever_the_hash_seed():
    # `_longest_first` once walked the categories through a set, so the order of
    # `context_rules` (written to the mentions file) changed from run to run
    from pipeline.nlp.context import _longest_first

    categories = ["NEGATED", "HYPOTHETICAL", "HISTORICAL", "OTHER", "ATTEMPTED", "TERMINATE"]
    # one word read by several categories ("can't": negated and modal) ties on position
    found = [(0, 1, {"id": f"r{i}", "category": c}) for i, c in enumerate(categories)]
    assert [m[2]["category"] for m in _longest_first(found)] == categories
