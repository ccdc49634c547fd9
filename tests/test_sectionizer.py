"""pipeline.nlp.sectionizer: note headings and the section each token sits in."""

from __future__ import annotations

import pytest


def _section_of(doc, word):
    (token,) = [t for t in doc if t.text == word]
    return token._.section


@pytest.mark.parametrize("text, word, section", [
    ("Plan:\n- HV next week", "HV", "plan"),                           # heading with colon, bulleted item
    ("PLAN - SFGC", "SFGC", "plan"),                                   # caps heading with dash
    ("Next steps\nDA checks", "checks", "plan"),                       # heading alone on its line
    ("Background:\nDV with ex", "DV", "history"),                      # history section
    ("Previous convictions:\nABH 2012", "ABH", "history"),            # multi-word heading
    ("Risk:\nlives with gf", "gf", "risk"),                            # risk heading: no flag, a section the model sees
    ("Update:\nlives with gf", "gf", "neutral"),                       # neutral heading
    ("- Plan: HV", "HV", "plan"),                                      # heading after a bullet
    ("seen in office", "office", None),                                # no heading at all
    ("We discussed the plan: HV", "HV", None),                         # "plan" mid-line is not a heading
    ("Plan for today is HV", "HV", None),                              # "plan" not followed by : - or newline
    ("5. RISK\nok\n6. CONTINGENCY\nIf he breaches, recall", "recall", "contingency"),  # a numbered heading
    ("Induction. 12m CO. Criminal damage at her mum's", "damage", "induction"),          # heading ended by a full stop
    ("From: Dr Shah\nSent: 03/04\nSubject: Mr K\nI have referred him to the CMHT", "referred", "email"),  # a pasted e-mail's body
    ("Spoke to him. From: now on weekly", "weekly", None),             # "From:" mid-line is not a header
])
def test_sectionizer_assigns_section(parse, text, word, section):
    assert _section_of(parse(text), word) == section


def test_sectionizer_section_runs_until_next_heading(parse):
    doc = parse("Background:\nDV with ex\nPlan:\nDA checks\nRisk:\npartner")

    assert _section_of(doc, "DV") == "history"
    assert _section_of(doc, "checks") == "plan"
    assert _section_of(doc, "partner") == "risk"


def test_sectionizer_text_before_first_heading_has_no_section(parse):
    doc = parse("Seen at home\nPlan:\nHV")

    assert _section_of(doc, "home") is None
    assert _section_of(doc, "HV") == "plan"


def test_sectionizer_attendance_list_ends_with_its_line(parse):
    doc = parse("MAPPA L2 minutes\nPlan:\nHV by OM\nPresent: OM, DC Hussain (police), Housing Options\nSFGC to be sent")

    assert _section_of(doc, "Housing") == "attendance"  # an agency listed as present at the meeting
    assert _section_of(doc, "SFGC") == "plan"           # the next line is back in the section it interrupted
    assert _section_of(doc, "HV") == "plan"


def test_sectionizer_contact_type_sets_the_section_before_the_first_heading(nlp):
    doc = nlp.make_doc("12m YRO, robbery of a phone.\nPlan:\nHV")
    doc._.contact_type = "COAI"  # an initial appointment is an induction note (set by pipeline.extract)
    doc = nlp(doc)

    assert _section_of(doc, "robbery") == "induction"
    assert _section_of(doc, "HV") == "plan"
    assert _section_of(nlp("12m YRO, robbery of a phone."), "robbery") is None  # no contact type: no section
