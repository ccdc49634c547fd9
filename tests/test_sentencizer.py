"""pipeline.nlp.sentencizer: sentence boundaries for case notes as practitioners write them."""

from __future__ import annotations

import pytest


def _sents(parse, text):
    return [s.text.strip() for s in parse(text).sents if s.text.strip()]


@pytest.mark.parametrize("text, expected", [
    # newline-separated bullets each stand alone
    ("- seen in office\n- tested positive for spice\n- will request SFGC",
     ["- seen in office", "- tested positive for spice", "- will request SFGC"]),
    # a heading on its own line, then its text
    ("Risk:\nLives with gf and her 2 kids\nPlan:\nDA checks",
     ["Risk:", "Lives with gf and her 2 kids", "Plan:", "DA checks"]),
    # bullet characters other than "-"
    ("* seen at home\n• partner present", ["* seen at home", "• partner present"]),
    # ordinary full stops
    ("Seen in office. Denies drug use. Next appt 2/52.", ["Seen in office.", "Denies drug use.", "Next appt 2/52."]),
    # pasted e-mail lines
    ("From: SW\nSent: 12/03/2024\nSubject: kids", ["From: SW", "Sent: 12/03/2024", "Subject: kids"]),
    # "!" and "?" followed by a space end a sentence
    ("He kicked off! Staff called police? Unclear.", ["He kicked off!", "Staff called police?", "Unclear."]),
])
def test_sentencizer_splits_lines_and_sentences(parse, text, expected):
    assert _sents(parse, text) == expected


@pytest.mark.parametrize("text", [
    "Partner ?pregnant - to confirm at next appt",              # "?" glued to a word is a query, not an end
    "Seen on 12.03.24 at the office with his gf",              # a dotted date is one token
    "PoP SEEN IN OFFICE STATED HE IS STILL LIVING WITH GF AND HER 3 KIDS NO ISSUES REPORTED",  # caps, no stops
    "seen at hostel no concerns raised by staff will see again 2/52",                        # no punctuation at all
    "Discussed ETE e.g. CSCS card and bank acc",              # abbreviation with dots
    "1. Will request SFGC re the kids",                          # numbered bullet stays with its text
])
def test_sentencizer_does_not_split_inside(parse, text):
    assert _sents(parse, text) == [text]


def test_sentencizer_every_token_has_a_sentence_start_decision(parse):
    doc = parse("Risk:\n\n  - lives with partner\n\nPlan - HV")

    assert all(t.is_sent_start is not None for t in doc)
    assert doc[0].is_sent_start


def test_sentencizer_empty_note_has_no_sentences(parse):
    assert list(parse("").sents) == []


def test_when_split_on_newline_disabled_then_lines_join(nlp):
    import spacy

    from pipeline.nlp import sentencizer  # noqa: F401  (registers the factory)

    blank = spacy.blank("en")
    blank.add_pipe("probation_sentencizer", config={"split_on_newline": False})

    doc = blank("seen in office\nno issues")

    assert len(list(doc.sents)) == 1
