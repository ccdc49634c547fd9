"""Hashes and provenance for every artefact: load nothing we did not produce.

Each model file `X` has a sidecar `X.meta.json` written when we trained it, holding its
sha256, the annotation snapshot it was trained on, versions and metrics. `verify`
refuses a file whose hash does not match its sidecar (or that has none).
"""

from __future__ import annotations

import hashlib
import json
import platform
from importlib import metadata
from pathlib import Path

from pipeline.config import RULES_DIR


class ArtefactError(Exception):
    """A model file is missing its provenance or does not match it."""


def sha256(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def sidecar(path: str | Path) -> Path:
    return Path(str(path) + ".meta.json")


def write_meta(path: str | Path, **info) -> dict:
    meta = {"file": Path(path).name, "sha256": sha256(path), "versions": versions(), **info}
    sidecar(path).write_text(json.dumps(meta, indent=2, default=str))
    return meta


def read_meta(path: str | Path) -> dict:
    side = sidecar(path)
    if not side.exists():
        raise ArtefactError(f"{Path(path).name}: no provenance file {side.name}; refusing to load a model we did not produce")
    return json.loads(side.read_text())


def verify(path: str | Path) -> dict:
    meta = read_meta(path)
    actual = sha256(path)
    if actual != meta.get("sha256"):
        raise ArtefactError(f"{Path(path).name}: sha256 {actual[:12]}… does not match its provenance record "
                            f"{str(meta.get('sha256'))[:12]}…; refusing to load")
    return meta


def versions() -> dict:
    out = {"python": platform.python_version()}
    for pkg in ("casenote-gap-analysis", "spacy", "scikit-learn", "skops", "lightgbm", "python-crfsuite", "pandas", "prefect"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = None
    return out


def model_hashes(*model_paths: str | Path | None) -> dict:
    """sha256 of every rule file and of each model file used (None entries skipped)."""
    hashes = {f"rules/{p.name}": sha256(p) for p in sorted(RULES_DIR.glob("*.yaml"))}
    for path in model_paths:
        if path:
            hashes[Path(path).name] = sha256(path)
    return hashes
