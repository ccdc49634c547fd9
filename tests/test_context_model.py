"""The learned context fallback: estimator behaviour, safe loading, pipeline component."""

import numpy as np
import pytest

from pipeline import artefacts
from pipeline.nlp import build_nlp
from pipeline.nlp.context_model import ContextClassifier, load_model, pop_pronoun, save_model, span_features

# tiny synthetic training set: "denies" → negated, "will" → hypothetical
NEG = ["Denies drug use.", "Denies using crack.", "Denies drinking."]
HYP = ["Will refer to CGL.", "Will request SFGC.", "Will complete HV."]
PLAIN = ["Tested positive for crack.", "Referred to CGL.", "SFGC sent.", "HV completed."]


def _training(nlp):
    X, y = [], []
    for texts, flag in ((NEG, 0), (HYP, 1), (PLAIN, None)):
        for doc in nlp.pipe(texts):
            for ent in doc.ents:
                X.append(span_features(ent))
                row = [0] * 5
                if flag is not None:
                    row[flag] = 1
                y.append(row)
    return X, np.array(y)


@pytest.fixture(scope="module")
def fitted(nlp):
    X, y = _training(nlp)
    return ContextClassifier(C=10.0).fit(X, y), X, y


def _saved(model, tmp_path):
    """The model saved with provenance, and the skops file's schema."""
    import zipfile

    path = tmp_path / "m.skops"
    save_model(model, path)
    artefacts.write_meta(path, kind="test")
    with zipfile.ZipFile(path) as z:
        return path, z.read("schema.json").decode()


def test_context_model_fits_and_predicts_the_training_flags(fitted):
    model, X, y = fitted
    assert model.predict(X).shape == y.shape
    assert (model.predict(X) == y).mean() > 0.9
    assert model.get_params() == {"C": 10.0, "class_weight": None, "rule_flags": (), "flag_params": None,
                                  "boost": None, "boost_weight": 0.5}


def test_context_model_flag_params_set_one_flags_regularisation_only(fitted, tmp_path):
    base, X, y = fitted
    strong = ContextClassifier(C=10.0, flag_params={"hypothetical": {"C": 1e-4}}).fit(X, y)

    # a tiny C shrinks the hypothetical weights towards zero, and leaves negated as it was
    assert np.abs(strong.coefs_[1]).max() < 0.1 * np.abs(base.coefs_[1]).max()
    assert np.allclose(strong.coefs_[0], base.coefs_[0])
    path = tmp_path / "m.skops"
    save_model(strong, path)
    artefacts.write_meta(path, kind="test")
    assert load_model(path).get_params()["flag_params"] == {"hypothetical": {"C": 1e-4}}


def test_context_model_keeps_rule_decision_for_rule_flags(fitted):
    model, X, _ = fitted
    model.set_params(rule_flags=("negated",))
    try:
        pred = model.predict(X)
        assert list(pred[:, 0]) == [int("rule:negated" in x) for x in X]
    finally:
        model.set_params(rule_flags=())


def test_context_model_span_features_include_rule_output_and_window(parse):
    doc = parse("Denies any drug use today.")
    f = span_features(doc.ents[0])
    assert f["rule:negated"] == 1.0 and f["label=SUBSTANCE_USE"] == 1.0 and "L=denies" in f


def test_context_model_saves_and_loads_only_with_matching_provenance(fitted, tmp_path):
    model, X, _ = fitted
    path = tmp_path / "m.skops"
    save_model(model, path)
    with pytest.raises(artefacts.ArtefactError, match="no provenance"):
        load_model(path)
    artefacts.write_meta(path, kind="test")
    assert (load_model(path).predict(X) == model.predict(X)).all()
    path.write_bytes(path.read_bytes() + b"tampered")
    with pytest.raises(artefacts.ArtefactError, match="does not match"):
        load_model(path)


def test_context_model_file_holds_feature_names_not_a_fitted_vectorizer(fitted, tmp_path):
    model, X, _ = fitted
    path, schema = _saved(model, tmp_path)
    assert "DictVectorizer" not in schema and "feature_names_" in schema
    loaded = load_model(path)
    assert np.array_equal(loaded.decision_function(X), model.decision_function(X))
    assert loaded.vectorizer_.vocabulary_ == model.vectorizer_.vocabulary_


def test_context_model_state_with_a_fitted_vectorizer_still_loads(fitted):
    model, X, _ = fitted  # the layout of files saved before the compact format
    old_state = {**model.__dict__}
    restored = ContextClassifier.__new__(ContextClassifier)
    restored.__setstate__(old_state)
    assert restored.vectorizer_ is model.vectorizer_ and (restored.predict(X) == model.predict(X)).all()


def test_context_model_state_from_before_the_trees_loads_without_them(fitted):
    model, X, _ = fitted  # files saved before the trees have no boost settings and no trees
    old_state = {k: v for k, v in model.__getstate__().items() if k not in ("boost", "boost_weight")}
    restored = ContextClassifier.__new__(ContextClassifier)
    restored.__setstate__(old_state)
    assert restored.get_params()["boost"] is None and not getattr(restored, "boosters_", None)
    assert np.array_equal(restored.predict_proba(X), model.predict_proba(X))


def test_context_model_component_runs_last_and_records_flips(fitted, tmp_path):
    model, _, _ = fitted
    path = tmp_path / "m.skops"
    save_model(model, path)
    artefacts.write_meta(path, kind="test")
    nlp = build_nlp(path)
    assert nlp.pipe_names[-1] == "probation_context_model"
    doc = nlp("Will refer to CGL.")
    assert doc.ents and doc.ents[0]._.hypothetical
    assert all(isinstance(r, str) for r in doc.ents[0]._.context_rules)


def test_context_model_cannot_switch_off_an_authoritative_rule(tmp_path, nlp):
    # a model taught that "criminal damage" is never historical...
    texts = ["Criminal damage at the AP.", "Arrested for criminal damage.", "Criminal damage to his room."]
    X = [span_features(e) for doc in nlp.pipe(texts) for e in doc.ents if e.label_ == "AGGRESSION"]
    model = ContextClassifier(C=10.0).fit(X, np.zeros((len(X), 5), dtype=int))
    path = tmp_path / "m.skops"
    save_model(model, path)
    artefacts.write_meta(path, kind="test")
    doc = build_nlp(path)("Induction. 12m CO. Criminal damage at his ex's flat.")
    (damage,) = [e for e in doc.ents if e.label_ == "AGGRESSION"]
    # ...keeps the induction section's flag: the offence described at induction is history
    assert damage._.historical and "section.induction" in damage._.context_rules


def test_context_model_cannot_switch_off_not_got_round_to_it(tmp_path, nlp):
    # a model taught that a safety plan is never negated...
    texts = ["Safety plan done.", "Safety plan agreed today.", "Went through his safety plan.", "Not done the safety plan."]
    X = [span_features(e) for doc in nlp.pipe(texts) for e in doc.ents if e.label_ == "MENTAL_HEALTH_RESPONSE"]
    y = np.zeros((len(X), 5), dtype=int)
    model = ContextClassifier(C=10.0).fit(X, y)
    path = tmp_path / "m.skops"
    save_model(model, path)
    artefacts.write_meta(path, kind="test")
    nlp_with_model = build_nlp(path)
    assert not nlp_with_model("Not done the safety plan.").ents[0]._.negated  # the model does switch "not" off
    doc = nlp_with_model("Didn't get to the safety plan - will do next week.")
    (plan,) = [e for e in doc.ents if e.label_ == "MENTAL_HEALTH_RESPONSE"]
    # ...keeps neg.not_got_to's flag: the plan was not done
    assert plan._.negated and "neg.not_got_to" in plan._.context_rules


def test_context_model_window_words_are_also_paired_with_the_label(nlp):
    doc = nlp("Worried about his drinking again, and his social worker agrees.")
    drinking = next(e for e in doc.ents if e.label_ == "SUBSTANCE_USE")
    f = span_features(drinking)
    assert f["L=his|SUBSTANCE_USE"] == 1.0 and f["R=again|SUBSTANCE_USE"] == 1.0
    assert "R=his|SUBSTANCE_USE" not in f  # only the two words after it are paired


def test_context_model_left_window_stops_at_a_semicolon(nlp):
    doc = nlp("Not to contact him directly or indirectly; exclusion zone in place.")
    zone = next(e for e in doc.ents if e.label_ == "PROTECTIVE_ORDER")
    f = span_features(zone)
    assert f["L_semicolon"] == 1.0 and "L=or" not in f and "L=directly" not in f


def test_context_model_reads_the_sentences_before_and_after_weakly(nlp):
    doc = nlp("Spoke to mum on the phone. She has been drinking since dad died. The index offence was in 2019.")
    drinking = next(e for e in doc.ents if e.label_ == "SUBSTANCE_USE")
    f = span_features(drinking)
    assert f["P=mum"] == f["P=phone"] == 0.5 and f["N=offence"] == 0.5 and f["N_year"] == 1.0
    assert "P=." not in f and "P=she" not in f and "N=dad" not in f  # no punctuation; its own sentence is not a neighbour
    alone = next(e for e in nlp("She has been drinking since dad died.").ents if e.label_ == "SUBSTANCE_USE")
    assert not any(k.startswith(("P=", "N=", "P_", "N_")) for k in span_features(alone))


def test_context_model_who_features_name_the_nearest_person(nlp):
    doc = nlp("Partner was drunk when I arrived, he says.")
    drunk = next(e for e in doc.ents if e.label_ == "SUBSTANCE_USE")
    f = span_features(drunk)
    assert f["who:L=other"] == 1.0 and f["who:Lw=partner"] == 1.0  # "partner" is the nearest person before it
    assert f["who:R=pop"] == 1.0  # "he" is the nearest after it


def test_pop_pronoun_reads_the_note_for_whether_the_pop_is_a_woman(nlp):
    assert pop_pronoun(nlp.make_doc("He says his brother is using again.")) == "he"
    assert pop_pronoun(nlp.make_doc("Female PoP. Her partner rang; he says she is fine.")) == "she"  # the cue wins
    assert pop_pronoun(nlp.make_doc("Police notification re Ms Price (our PoP): partner arrested.")) == "she"
    assert pop_pronoun(nlp.make_doc("She says she is sober and her son is home; he visits.")) == "she"  # she/her outnumber
    assert pop_pronoun(nlp.make_doc("Says she is his sister and he is staying with her.")) == "he"  # a tie is "he"
    assert pop_pronoun(nlp.make_doc("Ms Price rang. Seen at the office.")) == "he"  # a Ms not named the PoP says nothing


def test_context_model_who_features_say_whose_the_nearest_pronoun_is(nlp):
    about_him = next(e for e in nlp("He came in alone. She smelt of drink.").ents if e.label_ == "SUBSTANCE_USE")
    about_her = next(e for e in nlp("Female PoP. She smelt of drink.").ents if e.label_ == "SUBSTANCE_USE")
    f, g = span_features(about_him), span_features(about_her)
    assert f["who:Lpron=other"] == f["who:Lpron=other|SUBSTANCE_USE"] == 1.0 and "who:Lpron=pop" not in f
    assert g["who:Lpron=pop"] == 1.0 and "who:Lpron=other" not in g
    assert f["who:L=other"] == g["who:L=other"] == 1.0  # the person-word features are unchanged: "she" alone says other
    right = next(e for e in nlp("Drinking again, he says.").ents if e.label_ == "SUBSTANCE_USE")
    assert span_features(right)["who:Rpron=pop"] == 1.0


def test_context_model_who_features_feed_only_the_other_person_flag(nlp):
    texts = ["Partner was drunk at the HV.", "Brother was drunk again.", "He was drunk at the HV.", "He was drunk again."]
    X, y = [], []
    for doc in nlp.pipe(texts):
        ent = next(e for e in doc.ents if e.label_ == "SUBSTANCE_USE")
        X.append(span_features(ent))
        y.append([0, 0, 0, int(doc[0].lower_ != "he"), 0])
    y[0][0] = 1  # give the negated flag two classes so it is fitted, not constant
    model = ContextClassifier(C=10.0).fit(X, np.array(y))
    names = model.vectorizer_.get_feature_names_out()
    who = np.array([n.startswith("who:") for n in names])
    other = model.flags_.index("other_person")
    assert who.any() and np.abs(model.coefs_[other][who]).sum() > 0
    assert np.abs(np.delete(model.coefs_, other, axis=0)[:, who]).sum() == 0


def test_context_model_cue_features_give_distance_and_punctuation_of_the_nearest_cue(parse):
    near = span_features(parse("Denies drug use.").ents[0])
    far = span_features(parse("Denies it, says the police OM, the school and CGL are wrong about his drug use.").ents[-1])
    assert near["cue=NEGATED|L|0|b=0"] == 1.0 and near["cue=NEGATED|L|SUBSTANCE_USE"] == 1.0
    assert far["cue=NEGATED|L|6+|b=1"] == 1.0 and "cue=NEGATED|L|0|b=0" not in far


SMALL_BOOST = {"n_estimators": 20, "learning_rate": 0.3, "num_leaves": 4, "min_child_samples": 1,
               "colsample_bytree": 1.0, "subsample": 1.0, "subsample_freq": 0}


@pytest.fixture(scope="module")
def boosted(nlp):
    X, y = _training(nlp)
    X, y = X * 4, np.vstack([y] * 4)  # enough rows for the trees to split
    return ContextClassifier(C=10.0, boost=SMALL_BOOST).fit(X, y), X, y


def test_context_model_boosted_mixes_the_regression_and_the_trees(boosted):
    model, X, y = boosted
    assert len(model.boosters_) == 5 and model.boosters_[0] is not None
    assert model.boosters_[2] is None  # historical: one class in training, no trees
    linear = 1.0 / (1.0 + np.exp(-model.decision_function(X)))
    trees = model.boosters_[0].predict(model.vectorizer_.transform(X)[:, model.boost_columns_].astype(np.float32).tocsr())
    assert np.allclose(model.predict_proba(X)[:, 0], 0.5 * linear[:, 0] + 0.5 * trees)
    assert np.allclose(model.predict_proba(X)[:, 2], linear[:, 2])
    assert (model.predict(X) == y).mean() > 0.9
    model.set_params(boost_weight=0.0)
    try:
        assert np.allclose(model.predict_proba(X), linear)
    finally:
        model.set_params(boost_weight=0.5)


def test_context_model_tree_proba_is_the_trees_part_of_the_mix(boosted):
    model, X, _ = boosted
    linear = 1.0 / (1.0 + np.exp(-model.decision_function(X)))
    assert np.allclose(model.predict_proba(X), 0.5 * linear + 0.5 * model.tree_proba(X))
    assert ContextClassifier(C=10.0).fit(X, boosted[2]).tree_proba(X) is None


def test_context_model_take_trees_lends_one_fit_of_trees_to_another_regression(boosted):
    model, X, y = boosted
    other = ContextClassifier(C=0.3, class_weight="balanced").fit(X, y).take_trees(model)
    assert other.get_params()["boost"] == model.boost and other.C == 0.3
    assert np.allclose(other.tree_proba(X), model.tree_proba(X))
    # the same as fitting the trees again beside this regression: they depend on neither C nor weights
    refit = ContextClassifier(C=0.3, class_weight="balanced", boost=SMALL_BOOST).fit(X, y)
    assert np.allclose(other.predict_proba(X), refit.predict_proba(X))
    with pytest.raises(ValueError, match="same features"):
        ContextClassifier(C=10.0).fit(X[:5], y[:5]).take_trees(model)
    with pytest.raises(ValueError, match="no trees"):
        ContextClassifier(C=10.0).fit(X, y).take_trees(ContextClassifier(C=1.0).fit(X, y))


def test_context_model_boosted_file_holds_trees_as_text_and_loads_the_same(boosted, tmp_path):
    model, X, _ = boosted
    path, schema = _saved(model, tmp_path)
    assert "booster_texts_" in schema and "Booster" not in schema  # LightGBM's text format, no pickled object
    loaded = load_model(path)
    assert np.array_equal(loaded.predict_proba(X), model.predict_proba(X))
    assert [b is None for b in loaded.boosters_] == [b is None for b in model.boosters_]


def test_context_model_component_pipe_flags_as_one_doc_at_a_time(boosted, tmp_path):
    model, _, _ = boosted
    path, _ = _saved(model, tmp_path)
    nlp = build_nlp(path)
    texts = NEG + HYP + PLAIN + ["Seen today.", "Will refer to CGL. Denies drinking."]

    def flags(doc):
        return [(e.text, e._.negated, e._.hypothetical, tuple(e._.context_rules)) for e in doc.ents]

    assert [flags(d) for d in nlp.pipe(texts, batch_size=3)] == [flags(nlp(t)) for t in texts]
    assert any(e._.hypothetical for e in nlp("Will refer to CGL.").ents)
