"""Extraction evaluation and the context-model ship gate, on a tiny synthetic corpus."""

import itertools

import pytest

from pipeline.annotations import corpus
from pipeline.annotations.markup import parse_line
from pipeline.training import evaluate_extraction, format_extraction, train_context, train_spans

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
    assert first["saved"] and model.exists() and (tmp_path / "ctx.skops.meta.json").exists()
    again = train_context(model, annotations=tiny_corpus)
    assert not again["saved"] and "does not beat" in again["reason"]
    forced = train_context(model, force=True, annotations=tiny_corpus)
    assert forced["saved"]
    scored = evaluate_extraction("test", model, tiny_corpus, span_model_path=None)
    assert set(scored["context"]) == {"rules", "rules+model"}


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
    again = train_spans(model, annotations=span_corpus)
    assert not again["saved"] and "does not beat the current model" in again["reason"]
    scored = evaluate_extraction("test", None, span_corpus, span_model_path=model)
    assert set(scored["spans"]) == {"rules", "rules+model"}
    assert scored["spans"]["rules+model"]["micro"]["f1"] > scored["spans"]["rules"]["micro"]["f1"]
    assert "span model used for" in format_extraction(scored)
