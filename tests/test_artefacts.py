"""pipeline.artefacts: provenance sidecars; refuse files we did not produce."""

from __future__ import annotations

import hashlib
import json

import pytest

from pipeline.artefacts import ArtefactError, model_hashes, read_meta, sha256, sidecar, verify, write_meta


def test_artefacts_sha256_matches_hashlib(model_file):
    assert sha256(model_file) == hashlib.sha256(model_file.read_bytes()).hexdigest()


def test_artefacts_write_meta_then_verify_round_trip(model_file):
    written = write_meta(model_file, annotations="spans.jsonl@abc123", metrics={"f1": 0.81})

    meta = verify(model_file)

    assert sidecar(model_file).name == "context_model.skops.meta.json"
    assert meta == json.loads(json.dumps(written))
    assert meta["file"] == "context_model.skops"
    assert meta["sha256"] == sha256(model_file)
    assert meta["annotations"] == "spans.jsonl@abc123" and meta["metrics"] == {"f1": 0.81}
    assert "python" in meta["versions"]


@pytest.mark.parametrize("tamper", [
    lambda p: p.write_bytes(p.read_bytes() + b"!"),             # appended byte
    lambda p: p.write_bytes(b"x" + p.read_bytes()[1:]),         # first byte changed, same length
    lambda p: p.write_bytes(b""),                               # emptied
])
def test_when_model_file_tampered_then_verify_refuses(model_file, tamper):
    write_meta(model_file)
    tamper(model_file)

    with pytest.raises(ArtefactError, match="does not match"):
        verify(model_file)


def test_when_sidecar_hash_edited_then_verify_refuses(model_file):
    write_meta(model_file)
    side = sidecar(model_file)
    meta = json.loads(side.read_text())
    meta["sha256"] = "0" * 64
    side.write_text(json.dumps(meta))

    with pytest.raises(ArtefactError):
        verify(model_file)


def test_when_sidecar_missing_then_artefact_error(model_file):
    with pytest.raises(ArtefactError, match="no provenance"):
        verify(model_file)
    with pytest.raises(ArtefactError):
        read_meta(model_file)


def test_artefacts_model_hashes_cover_rules_and_model(model_file):
    hashes = model_hashes(model_file)

    assert hashes["context_model.skops"] == sha256(model_file)
    assert {"rules/targets.yaml", "rules/context.yaml", "rules/gaps.yaml"} <= set(hashes)
    assert "context_model.skops" not in model_hashes(None)
