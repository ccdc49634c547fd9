"""Extraction evaluation and the context-model ship gate, on a tiny synthetic corpus."""

import itertools

import pytest

from pipeline.annotations import corpus
from pipeline.annotations.markup import parse_line
from pipeline import artefacts
from pipeline.nlp.context_model import load_model
from pipeline.nlp.span_model import SpanTagger
from pipeline.training import (_settings_search, evaluate_extraction, fitted_on, format_extraction, held_out, train_context, train_spans,
                               unseen_by_dev)

PEOPLE = ["his son", "her daughter", "the kids", "his partner", "her ex"]
TEMPLATES = [
    "Seen {n}. No [[{p}|{l}|neg]] mentioned today.",
    "Will request [[SFGC|SAFEGUARDING_CHECK|hyp]] re [[{p}|{l}]] ({n}).",
    "[[HV|HOME_VISIT|att]] attempted, no answer ({n}).",
    "[[Tested positive for crack|SUBSTANCE_USE]] on visit {n}.",
    "Denies [[drug use|SUBSTANCE_USE|neg]] ({n}).",
]


@pytest.fixture(scope="module")
def tiny_corpus(tmp_path_factory):
    records = []
    for n, (template, person) in enumerate(itertools.product(TEMPLATES, PEOPLE * 4)):
        label = "CHILD" if person in PEOPLE[:3] else "PARTNER"
        rec = parse_line(template.format(n=n, p=person.split()[-1], l=label))
        records.append({**rec, "answer": "accept",
                        "meta": {"id": str(n), "source": f"src/t{n % 2}.txt:{n}", "split": corpus.split_of(rec["text"])}})
    path = tmp_path_factory.mktemp("ann") / "spans.jsonl"
    corpus.write_jsonl(path, records)
    assert {r["meta"]["split"] for r in records} == {"train", "dev", "test"}
    return path


def test_training_evaluation_reports_spans_and_context_side_by_side(tiny_corpus, tmp_path):
    result = evaluate_extraction("test", None, tiny_corpus, span_model_path=None)
    assert result["examples"] > 0 and set(result["context"]) == {"rules"} and set(result["spans"]) == {"rules"}
    assert result["spans"]["rules"]["per_label"]["HOME_VISIT"]["support"] > 0
    assert 0.0 <= result["spans"]["rules"]["micro"]["f1"] <= 1.0
    assert "negated" in format_extraction(result)


def test_training_evaluation_keeps_only_the_examples_of_matching_sources(tiny_corpus):
    every = evaluate_extraction("test", None, tiny_corpus, span_model_path=None)
    parts = [evaluate_extraction("test", None, tiny_corpus, span_model_path=None, sources=s) for s in ("^src/t0", "^src/(?!t0)")]
    assert all(0 < p["examples"] < every["examples"] for p in parts)
    assert sum(p["examples"] for p in parts) == every["examples"]
    assert sum(p["gold_spans"] for p in parts) == every["gold_spans"]
    assert "sources=^src/t0" in format_extraction(parts[0])


def test_training_ships_a_model_only_when_it_beats_the_current_one(tiny_corpus, tmp_path):
    model = tmp_path / "ctx.skops"
    first = train_context(model, annotations=tiny_corpus)
    assert len(first["candidates"]) == 5 and first["C"] in first["candidates"]  # 2 without trees, 3 with
    assert first["saved"] and model.exists() and (tmp_path / "ctx.skops.meta.json").exists()
    again = train_context(model, annotations=tiny_corpus)
    assert not again["saved"] and "does not beat" in again["reason"]
    assert "gain_ci95_vs_current" not in first and again["gain_ci95_vs_current"] == [0.0, 0.0]  # the same fit again
    forced = train_context(model, force=True, annotations=tiny_corpus)
    assert forced["saved"]
    scored = evaluate_extraction("test", model, tiny_corpus, span_model_path=None)
    assert set(scored["context"]) == {"rules", "rules+model"}


def test_training_settings_search_chooses_each_flags_regression_with_the_trees_in():
    from types import SimpleNamespace

    import numpy as np

    y = np.zeros((4, 5), dtype=int)
    y[:2, 0] = 1  # the first flag: set on the first two spans
    a, b = SimpleNamespace(C=1.0, class_weight=None), SimpleNamespace(C=30.0, class_weight="balanced")
    proba_a, proba_b, trees = np.zeros((4, 5)), np.zeros((4, 5)), np.zeros((4, 5))
    proba_a[:, 0] = [0.9, 0.6, 0.4, 0.1]   # alone: right on all four
    proba_b[:, 0] = [0.6, 0.45, 0.1, 0.1]  # alone: misses the second
    trees[:, 0] = [0.5, 0.6, 0.65, 0.0]    # mixed with the trees, a sets the third and b is right on all four
    trials = [("a", a, proba_a), ("b", b, proba_b)]
    name, best, per_flag, _ = _settings_search(trials, y)
    assert (name, best, per_flag["negated"]) == ("a", a, {"C": 1.0, "class_weight": None})
    name, best, per_flag, _ = _settings_search(trials, y, trees)
    assert (name, best, per_flag["negated"]) == ("b", b, {"C": 30.0, "class_weight": "balanced"})


def test_training_ships_the_refit_on_train_and_dev_and_scores_dev_with_the_train_only_fit(tiny_corpus, tmp_path):
    model = tmp_path / "ctx.skops"
    report = train_context(model, annotations=tiny_corpus)
    kept = held_out(model)
    assert report["saved"] and kept == tmp_path / "held-out" / "ctx.skops" and artefacts.verify(kept)
    assert (fitted_on(model), fitted_on(kept)) == ("train+dev", "train")
    assert artefacts.read_meta(model)["held_out_sha256"] == artefacts.sha256(kept)
    # the refit has read dev's examples: each note's number is a word only that note has
    shipped, train_only = load_model(model), load_model(kept)
    assert set(train_only.vectorizer_.vocabulary_) < set(shipped.vectorizer_.vocabulary_)
    assert shipped.get_params() == train_only.get_params()
    # dev is scored, and the next model gated, with the fit that has not seen dev; test with the shipped one
    dev = evaluate_extraction("dev", model, tiny_corpus, span_model_path=None)
    test = evaluate_extraction("test", model, tiny_corpus, span_model_path=None)
    assert (dev["model_sha256"], dev["model_fitted_on"]) == (artefacts.sha256(kept), "train")
    assert (test["model_sha256"], test["model_fitted_on"]) == (artefacts.sha256(model), "train+dev")
    assert "context model train+dev" in format_extraction(test)
    assert report["dev_macro_f1"] == dev["context"]["rules+model"]["macro_f1"]
    # without its train-only fit, a refitted model is not scored on dev at all
    kept.unlink()
    assert unseen_by_dev(model) is None
    assert set(evaluate_extraction("dev", model, tiny_corpus, span_model_path=None)["context"]) == {"rules"}


def test_training_a_model_from_before_the_refit_counts_as_fitted_on_train(tiny_corpus, tmp_path):
    import json

    model = tmp_path / "ctx.skops"
    train_context(model, annotations=tiny_corpus)
    held_out(model).replace(model)  # a train-only model, as files were before the refit
    meta = json.loads(artefacts.sidecar(held_out(model)).read_text())
    del meta["fitted_on"]
    meta["file"] = model.name
    artefacts.sidecar(model).write_text(json.dumps(meta))
    assert fitted_on(model) == "train" and unseen_by_dev(model) == model
    assert evaluate_extraction("dev", model, tiny_corpus, span_model_path=None)["model_sha256"] == artefacts.sha256(model)


# the rules know neither "zonked" nor "fella"; a span tagger trained on these
# annotations should learn both
SPAN_TEMPLATES = [
    "Seen {n} today, came in [[zonked|SUBSTANCE_USE]] again.",
    "Her [[fella|PARTNER]] attended appointment {n}.",
]


@pytest.fixture(scope="module")
def span_corpus(tmp_path_factory):
    records = []
    for n in range(120):
        rec = parse_line(SPAN_TEMPLATES[n % 2].format(n=n))
        records.append({**rec, "answer": "accept",
                        "meta": {"id": str(n), "source": f"src/t{n % 2}.txt:{n}", "split": corpus.split_of(rec["text"])}})
    path = tmp_path_factory.mktemp("spans") / "spans.jsonl"
    corpus.write_jsonl(path, records)
    return path


def test_training_span_model_beats_rules_on_dev_and_is_gated(span_corpus, tmp_path):
    model = tmp_path / "spans.crfsuite"
    first = train_spans(model, annotations=span_corpus)
    assert first["saved"] and first["dev_micro_f1"] > first["dev_rules_micro_f1"]
    assert "SUBSTANCE_USE" in first["model_labels"]
    assert (tmp_path / "spans.crfsuite.meta.json").exists()
    assert (fitted_on(model), fitted_on(held_out(model))) == ("train+dev", "train")
    # the refit has read dev's notes: their numbers are words the train-only fit never saw
    words = [set(SpanTagger.load(p).tagger.info().state_features) for p in (held_out(model), model)]
    assert len(words[1]) > len(words[0])
    again = train_spans(model, annotations=span_corpus)  # gated against the train-only fit, on dev
    assert not again["saved"] and "does not beat the current model" in again["reason"]
    assert again["current_dev_micro_f1"] == first["dev_micro_f1"]
    assert "gain_ci95_vs_current" not in first and again["gain_ci95_vs_current"] == [0.0, 0.0]  # the same fit: no gain in any resample
    scored = evaluate_extraction("test", None, span_corpus, span_model_path=model)
    assert set(scored["spans"]) == {"rules", "rules+model"}
    assert scored["spans"]["rules+model"]["micro"]["f1"] > scored["spans"]["rules"]["micro"]["f1"]
    assert "span model used for" in format_extraction(scored)


def test_training_evaluation_counts_agree_with_the_scores_they_come_from():
    import numpy as np

    from pipeline.training import flag_counts, flag_scores, span_counts, span_scores

    golds = [{(0, 5, "CHILD"), (10, 14, "AGENCY")}, {(3, 8, "CHILD")}, set()]
    preds = [{(0, 5, "CHILD"), (10, 15, "AGENCY")}, set(), {(1, 2, "HOME_VISIT")}]
    counts = span_counts(golds, preds)
    assert counts.shape[0] == 3 and counts[0].sum() == 3 and counts[2].sum() == 1
    scores = span_scores(golds, preds)
    child = scores["per_label"]["CHILD"]
    assert (child["tp"], child["fp"], child["fn"], child["support"]) == (1, 0, 1, 2)
    assert (scores["micro"]["tp"], scores["micro"]["fp"], scores["micro"]["fn"]) == tuple(counts.sum(axis=(0, 1)))
    y = np.array([[1, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 1, 0, 0, 0]])
    p = np.array([[1, 0, 0, 0, 0], [0, 0, 0, 0, 0], [0, 1, 0, 0, 1]])
    fc = flag_counts(y, p, ["a", "a", "b"])  # two spans in example a, one in b
    assert fc.shape == (2, 5, 3)
    assert fc[0, 0].tolist() == [1, 0, 1] and fc[1, 1].tolist() == [1, 0, 0] and fc[1, 4].tolist() == [0, 1, 0]
    negated = flag_scores(y, p)["negated"]
    assert [negated["tp"], negated["fp"], negated["fn"]] == fc[:, 0].sum(axis=0).tolist()


def test_training_evaluation_gives_each_f1_a_bootstrap_interval(tiny_corpus, tmp_path):
    model = tmp_path / "ctx.skops"
    train_context(model, annotations=tiny_corpus)
    result = evaluate_extraction("test", model, tiny_corpus, span_model_path=None, resamples=200)
    assert result["bootstrap"] == {"resamples": 200, "seed": 2026, "unit": "example"}
    for scores in (result["spans"]["rules"]["micro"], *result["spans"]["rules"]["per_label"].values(),
                   *(result["context"][c][f] for c in ("rules", "rules+model") for f in ("negated", "attempted"))):
        lo, hi = scores["ci95"]
        assert 0.0 <= lo <= hi <= 1.0
    home = result["spans"]["rules"]["per_label"]["HOME_VISIT"]
    assert home["ci95"][0] <= home["f1"] <= home["ci95"][1]
    lo, hi = result["context"]["rules+model"]["macro_f1_ci95"]
    assert lo <= result["context"]["rules+model"]["macro_f1"] <= hi
    assert set(result["gain_ci95"]) == {"flag_macro_f1"}  # no span model given: no span gain
    assert "95% bootstrap interval" in format_extraction(result)
    bare = evaluate_extraction("test", model, tiny_corpus, span_model_path=None, resamples=0)
    assert "bootstrap" not in bare and "ci95" not in bare["spans"]["rules"]["micro"]
