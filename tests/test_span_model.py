"""The learned span fallback: BIO helpers, the CRF estimator, safe loading, the component."""

import pytest

from pipeline import artefacts
from pipeline.nlp import build_nlp
from pipeline.nlp.span_model import (MODEL_RULE_ID, SpanModelComponent, SpanTagger, bio_tags, doc_features,
                                     max_span_lengths, spans_from_tags)

# the rules know neither "zonked" (intoxicated) nor "fella" (partner)
TRAIN = [("Came in zonked again today.", [(2, 3, "SUBSTANCE_USE")]),
         ("Was zonked when seen at the hostel.", [(1, 2, "SUBSTANCE_USE")]),
         ("His fella attended.", [(1, 2, "PARTNER")]),
         ("Lives with her fella and her son.", [(3, 4, "PARTNER"), (6, 7, "CHILD")])]


@pytest.fixture(scope="module")
def rule_nlp():
    return build_nlp()


@pytest.fixture(scope="module")
def fitted(rule_nlp):
    docs = [rule_nlp(t) for t, _ in TRAIN] * 5
    spans = [s for _, s in TRAIN] * 5
    X = [doc_features(d) for d in docs]
    y = [bio_tags(d, s) for d, s in zip(docs, spans)]
    return SpanTagger(c1=0.0, c2=0.01, model_labels=("SUBSTANCE_USE", "PARTNER")).fit(X, y), X, y


def test_span_model_bio_round_trip(rule_nlp):
    doc = rule_nlp.make_doc("Lives with current partner and her son.")
    tags = bio_tags(doc, [(2, 4, "PARTNER"), (6, 7, "CHILD")])
    assert tags == ["O", "O", "B-PARTNER", "I-PARTNER", "O", "O", "B-CHILD", "O"]
    assert [(s.start, s.end, s.label_) for s in spans_from_tags(doc, tags)] == [(2, 4, "PARTNER"), (6, 7, "CHILD")]


def test_span_model_decodes_an_orphan_inside_tag_as_a_span(rule_nlp):
    doc = rule_nlp.make_doc("a b c d")
    spans = spans_from_tags(doc, ["O", "I-CHILD", "I-CHILD", "B-PARTNER"])
    assert [(s.start, s.end, s.label_) for s in spans] == [(1, 3, "CHILD"), (3, 4, "PARTNER")]


def test_span_model_features_carry_the_rules_tags(rule_nlp):
    doc = rule_nlp("Tested positive for crack.")
    feats = doc_features(doc)
    assert len(feats) == len(doc)
    assert feats[0]["rule=B-SUBSTANCE_USE"] == 1.0 and feats[1]["rule-1=B-SUBSTANCE_USE"] == 1.0


def test_span_model_learns_the_training_tags(fitted):
    model, X, y = fitted
    assert model.predict(X) == y
    assert model.get_params()["model_labels"] == ("SUBSTANCE_USE", "PARTNER")


def test_span_model_loads_only_with_matching_provenance(fitted, tmp_path):
    model, X, _ = fitted
    path = tmp_path / "s.crfsuite"
    model.save(path)
    with pytest.raises(artefacts.ArtefactError, match="no provenance"):
        SpanTagger.load(path)
    artefacts.write_meta(path, c1=model.c1, c2=model.c2, model_labels=list(model.model_labels))
    loaded = SpanTagger.load(path)
    assert loaded.predict(X) == model.predict(X) and loaded.model_labels == model.model_labels
    path.write_bytes(path.read_bytes() + b"x")
    with pytest.raises(artefacts.ArtefactError, match="does not match"):
        SpanTagger.load(path)


def test_span_model_tagger_outlives_its_span_tagger(fitted, tmp_path):
    # crfsuite reads the model from the SpanTagger's bytes without copying them: the tagger it
    # hands out holds those bytes, so it still tags after the SpanTagger itself is gone
    import gc

    model, X, y = fitted
    path = tmp_path / "s.crfsuite"
    model.save(path)
    artefacts.write_meta(path, c1=model.c1, c2=model.c2, model_labels=list(model.model_labels))
    tagger = SpanTagger.load(path).tagger
    info = SpanTagger.load(path).tagger.info  # a bound method of a tagger no one else holds
    gc.collect()
    junk = [bytes(len(model.model_bytes_)) for _ in range(50)]  # reuse any freed memory
    assert tagger.model_bytes == model.model_bytes_
    assert [tagger.tag(x) for x in X] == y and set(tagger.labels()) == set(model.labels_)
    assert set(info().labels) == set(model.labels_)
    del junk


def test_span_model_component_replaces_only_its_labels(fitted, tmp_path):
    model, _, _ = fitted
    path = tmp_path / "s.crfsuite"
    model.save(path)
    artefacts.write_meta(path, model_labels=["SUBSTANCE_USE", "PARTNER"])
    nlp = build_nlp(span_model_path=path)
    assert nlp.pipe_names.index("probation_span_model") == nlp.pipe_names.index("probation_target_matcher") + 1
    doc = nlp("Came in zonked, her fella says he is with the CMHT.")
    got = {(e.text, e.label_): e._.rule_id for e in doc.ents}
    assert got[("zonked", "SUBSTANCE_USE")] == MODEL_RULE_ID
    assert got[("fella", "PARTNER")] == MODEL_RULE_ID
    assert got[("CMHT", "AGENCY")] != MODEL_RULE_ID  # not a model label: the rules' span stays
    assert next(e for e in doc.ents if e.label_ == "AGENCY")._.kind == "mental_health"


def test_span_model_component_without_labels_leaves_the_rules_alone(fitted, tmp_path, rule_nlp):
    model, _, _ = fitted
    path = tmp_path / "s.crfsuite"
    model.save(path)
    artefacts.write_meta(path, model_labels=[])
    text = "Came in zonked, her fella says he tested positive for crack."
    with_model = build_nlp(span_model_path=path)(text)
    assert [(e.start, e.end, e.label_) for e in with_model.ents] == [(e.start, e.end, e.label_) for e in rule_nlp(text).ents]


def test_span_model_features_show_the_rules_ignore_matches(rule_nlp):
    doc = rule_nlp("Good working relationship with his PP.")
    assert not doc.ents
    rel = [t.i for t in doc if t.text == "relationship"][0]
    assert {"rule=B-IGNORE", "rule=I-IGNORE"} & set(doc_features(doc)[rel])


def test_span_model_component_never_tags_over_an_ignore_match(rule_nlp, tmp_path):
    # a model taught that "relationship" is always a partner, even in "working relationship"
    train = [("Her relationship is going well.", [(1, 2, "PARTNER")]),
             ("Good working relationship with staff.", [(2, 3, "PARTNER")])] * 5
    docs = [rule_nlp(t) for t, _ in train]
    model = SpanTagger(c1=0.0, c2=0.01, model_labels=("PARTNER",)).fit(
        [doc_features(d) for d in docs], [bio_tags(d, s) for d, (_, s) in zip(docs, train)])
    path = tmp_path / "s.crfsuite"
    model.save(path)
    artefacts.write_meta(path, model_labels=["PARTNER"])
    nlp = build_nlp(span_model_path=path)
    assert [e.text for e in nlp("Her relationship is going well.").ents] == ["relationship"]
    assert [e.text for e in nlp("Good working relationship with staff.").ents] == []


def test_span_model_features_know_the_rules_lexicon_where_no_rule_fired(rule_nlp):
    doc = rule_nlp("Bit of coke at the weekend he says.")
    assert not [e for e in doc.ents if e.text == "coke"]  # no template matched...
    feats = doc_features(doc)
    assert feats[2]["lex=substance"] == 1.0 and feats[1]["lex+1=substance"] == 1.0 and "lex=substance" not in feats[1]  # ...but the word is known


def test_span_model_span_that_matches_a_rule_keeps_the_rules_id(rule_nlp):
    doc = rule_nlp("Tested positive for crack, came in zonked.")
    rule = next(e for e in doc.ents if e.label_ == "SUBSTANCE_USE")
    rule_id, kind = rule._.rule_id, rule._.kind
    assert rule_id and not rule_id.startswith("model:")
    tags = bio_tags(doc, [(rule.start, rule.end, "SUBSTANCE_USE"), (len(doc) - 2, len(doc) - 1, "SUBSTANCE_USE")])
    out = SpanModelComponent(None, rule_nlp.get_pipe("probation_target_matcher")).apply(doc, tags, ["SUBSTANCE_USE"])
    got = {e.text: (e._.rule_id, e._.kind) for e in out.ents}
    assert got[rule.text] == (rule_id, kind)  # the model agreed with the rule: the rule is named
    assert got["zonked"][0] == MODEL_RULE_ID  # the model's own find


def test_span_model_span_with_other_boundaries_than_the_rule_is_the_models(rule_nlp):
    doc = rule_nlp("Tested positive for crack.")
    rule = next(e for e in doc.ents if e.label_ == "SUBSTANCE_USE")
    tags = bio_tags(doc, [(rule.start, rule.end - 1, "SUBSTANCE_USE")])
    out = SpanModelComponent(None, None).apply(doc, tags, ["SUBSTANCE_USE"])
    assert [(e.end, e._.rule_id) for e in out.ents if e.label_ == "SUBSTANCE_USE"] == [(rule.end - 1, MODEL_RULE_ID)]


def test_span_model_span_ending_with_a_worker_takes_the_workers_name(rule_nlp):
    doc = rule_nlp("Rang keyworker Lee about him.")
    tags = bio_tags(doc, [(0, 2, "SUBSTANCE_RESPONSE")])  # the model stops at "keyworker"
    out = SpanModelComponent(None, rule_nlp.get_pipe("probation_target_matcher")).apply(doc, tags, ["SUBSTANCE_RESPONSE"])
    assert [e.text for e in out.ents if e.label_ == "SUBSTANCE_RESPONSE"] == ["Rang keyworker Lee"]


def test_span_model_bare_result_word_needs_a_test_in_the_note(rule_nlp):
    component = SpanModelComponent(None, rule_nlp.get_pipe("probation_target_matcher"))
    for text, kept in (("Showed me photos of the holiday. Positive.", False), ("Swab taken at 10.\nPositive.", True)):
        doc = rule_nlp(text)
        word = next(t for t in doc if t.text == "Positive")
        tags = bio_tags(doc, [(word.i, word.i + 1, "SUBSTANCE_USE")])
        out = component.apply(doc, tags, ["SUBSTANCE_USE"])
        assert [e.text for e in out.ents if e.label_ == "SUBSTANCE_USE"] == (["Positive"] if kept else [])


def test_span_model_result_word_with_no_test_or_substance_after_it_needs_a_test_in_the_note(rule_nlp):
    component = SpanModelComponent(None, rule_nlp.get_pipe("probation_target_matcher"))
    for text, span, kept in (("Doing his dad's shopping twice a week. Positive role.", "Positive role", False),
                             ("Swab taken at 10. Positive role.", "Positive role", True),  # odd, but a test is named
                             ("Positive for cocaine on Monday.", "Positive for cocaine", True),
                             ("Positive result today.", "Positive result", True)):
        doc = rule_nlp(text)
        start = text.index(span)
        target = doc.char_span(start, start + len(span))
        tags = bio_tags(doc, [(target.start, target.end, "SUBSTANCE_USE")])
        out = component.apply(doc, tags, ["SUBSTANCE_USE"])
        assert ([e.text for e in out.ents if e.label_ == "SUBSTANCE_USE"] == [span]) == kept, text


def test_span_model_bare_use_verb_with_an_object_that_is_no_substance_is_dropped(rule_nlp):
    component = SpanModelComponent(None, rule_nlp.get_pipe("probation_target_matcher"))
    for text, kept in (("Discussed online activity - PoP uses Facebook and TikTok.", False),
                       ("He uses his phone to keep in touch.", False),
                       ("He uses crack most days.", True), ("Admits he uses again since Xmas.", True),
                       ("Says he uses his mum's methadone.", True),
                       ("Says he uses Fri and Sat.", True), ("PoP USES AGAIN.", True), ("Still uses\nPlan: CGL", True)):
        doc = rule_nlp(text)
        word = next(t for t in doc if t.lower_ == "uses")
        tags = bio_tags(doc, [(word.i, word.i + 1, "SUBSTANCE_USE")])
        out = component.apply(doc, tags, ["SUBSTANCE_USE"])
        assert ([e.text for e in out.ents if e.text == word.text] == [word.text]) == kept, text


def test_span_model_max_span_lengths_counts_tokens_per_label():
    seqs = [["B-SELF_HARM", "I-SELF_HARM", "I-SELF_HARM", "O", "B-CHILD"],
            ["O", "B-SELF_HARM", "O", "B-CHILD", "I-CHILD"]]
    assert max_span_lengths(seqs) == {"SELF_HARM": 3, "CHILD": 2}


def test_span_model_drops_a_model_span_longer_than_any_seen_in_training(rule_nlp):
    doc = rule_nlp("Order protecting Kerry not to contact her or go near her house.")
    run_away = bio_tags(doc, [(1, len(doc) - 1, "SELF_HARM")])
    component = SpanModelComponent(None, None)
    kept = component.apply(doc.copy(), run_away, ["SELF_HARM"], {"SELF_HARM": len(doc) - 2})
    dropped = component.apply(doc.copy(), run_away, ["SELF_HARM"], {"SELF_HARM": 9})
    assert [e.label_ for e in kept.ents] == ["SELF_HARM"]
    assert [e.label_ for e in dropped.ents] == []


def test_span_model_keeps_its_max_lengths_through_save_and_load(fitted, tmp_path):
    model, _, _ = fitted
    assert model.max_lengths_ == {"SUBSTANCE_USE": 1, "PARTNER": 1, "CHILD": 1}
    path = tmp_path / "s.crfsuite"
    model.save(path)
    artefacts.write_meta(path, model_labels=list(model.model_labels), max_lengths=model.max_lengths_)
    assert SpanTagger.load(path).max_lengths_ == model.max_lengths_


def test_span_model_keeps_the_rules_span_under_a_model_span_dropped_as_too_long(rule_nlp):
    # sample X278905: the tagger ran "exclusion zone - not to enter Hessle Road between ..." on past any
    # trained length; dropping it must not also drop the rules' "exclusion zone" under it
    doc = rule_nlp("Licence conditions: exclusion zone - not to enter Hessle Road between Daltry St and Boulevard.")
    assert [(e.text, e.label_) for e in doc.ents] == [("exclusion zone", "PROTECTIVE_ORDER")]
    start = next(e.start for e in doc.ents)
    run_on = bio_tags(doc, [(start, len(doc) - 1, "PROTECTIVE_ORDER")])
    component = SpanModelComponent(None, None)
    too_long = component.apply(doc.copy(), run_on, ["PROTECTIVE_ORDER"], {"PROTECTIVE_ORDER": 3})
    assert [(e.text, e.label_) for e in too_long.ents] == [("exclusion zone", "PROTECTIVE_ORDER")]
    allowed = component.apply(doc.copy(), run_on, ["PROTECTIVE_ORDER"], {"PROTECTIVE_ORDER": 20})
    assert [len(e) for e in allowed.ents] == [len(doc) - 1 - start]
    # where the tagger finds nothing, the rules' span of its label still goes (it replaces them)
    none = component.apply(doc.copy(), ["O"] * len(doc), ["PROTECTIVE_ORDER"], {"PROTECTIVE_ORDER": 3})
    assert list(none.ents) == []
