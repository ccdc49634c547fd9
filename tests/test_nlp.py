"""pipeline.nlp: assembling the pipeline, and one cached pipeline per process."""

from __future__ import annotations

import threading
import time

import pipeline.nlp as nlp_module


def test_nlp_pipeline_runs_the_components_in_order():
    assert nlp_module.build_nlp().pipe_names == [
        "probation_sentencizer", "probation_sectionizer", "probation_target_matcher", "probation_context"]


def test_nlp_cached_pipeline_is_built_once_when_threads_ask_together(monkeypatch):
    builds = []

    def slow_build(context_model_path=None, span_model_path=None):
        builds.append((context_model_path, span_model_path))
        time.sleep(0.2)  # long enough for every thread to ask before the first build ends
        return object()

    monkeypatch.setattr(nlp_module, "build_nlp", slow_build)
    nlp_module._cached_nlp.cache_clear()
    got = []
    threads = [threading.Thread(target=lambda: got.append(nlp_module.cached_nlp("ctx-test", None))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    nlp_module._cached_nlp.cache_clear()

    assert builds == [("ctx-test", None)]
    assert len(got) == 4 and all(g is got[0] for g in got)
