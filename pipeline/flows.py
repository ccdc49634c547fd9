"""Prefect flow for a whole run: thin tasks over batches; logic lives in plain modules.

Tasks pass paths, ids and counts only: note text stays in files under the output
directory (`_work/`, removed at the end) and never enters a parameter, a log line, a
task name or a persisted result (results are not persisted at all).
"""

from __future__ import annotations

import json
import logging
import os
from collections import Counter
import shutil
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
from prefect import flow, get_run_logger, task
from prefect.task_runners import ThreadPoolTaskRunner

from pipeline import artefacts
from pipeline.analyse import analyse_case, build_cases
from pipeline.config import Settings
from pipeline.criteria import criteria_frame
from pipeline.extract import extract_mentions, write_mentions
from pipeline.ingest import QUARANTINE_COLUMNS, load_cases, load_contacts
from pipeline.nlp import cached_nlp
from pipeline.nlp.rulefile import load_rules
from pipeline.report.writer import case_filename, write_case, write_index, write_tables

TASK_OPTS = {"persist_result": False, "log_prints": False, "cache_policy": None}

DASK_MISSING = "--dask needs prefect-dask, which is not installed: install with pip install -e '.[dask]'"


class DaskUnavailable(RuntimeError):
    """prefect-dask is not installed (it is an optional extra)."""


def dask_task_runner(dask: str, workers: int | None = None, **cluster_kwargs):
    """The task runner for `casenotes run --dask`: "local" or a scheduler address.

    "local": a temporary `distributed.LocalCluster` of `workers` worker processes (default:
    one per core), one thread each, listening on 127.0.0.1 only (its status page on a free
    port, so two runs on one machine do not clash), closed when the flow ends. Each worker
    process builds its own spaCy pipeline once (`cached_nlp`) from the model paths the
    extract tasks receive. Run the flow inside `prefect_api_for_workers(dask)`.
    Anything else ("tcp://host:8786"): an existing scheduler. Its workers must have this
    project, its models and the input/output directories at the same paths.
    `cluster_kwargs` (local only) go to LocalCluster, e.g. memory_limit="1GiB".
    prefect_dask is imported here, not at module level: it is an optional extra.
    """
    # distributed logs every connection at INFO; warnings and errors are enough, in this process
    # and (through the environment) in the worker processes it starts. A user's own setting wins.
    quiet = "DASK_LOGGING__DISTRIBUTED" not in os.environ
    if quiet:
        os.environ["DASK_LOGGING__DISTRIBUTED"] = "warning"
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError as exc:
        raise DaskUnavailable(DASK_MISSING) from exc
    if quiet:
        logging.getLogger("distributed").setLevel(logging.WARNING)
    if dask == "local":
        n = workers or usable_cores()
        return DaskTaskRunner(cluster_kwargs={"n_workers": n, "threads_per_worker": 1, "processes": True,
                                              "host": "127.0.0.1", "dashboard_address": "127.0.0.1:0", **cluster_kwargs})
    if ":" not in dask:
        raise ValueError(f"--dask takes 'local' or a scheduler address such as tcp://host:8786, not {dask!r}")
    if workers is not None or cluster_kwargs:
        raise ValueError("--workers applies only to --dask local (a running cluster has its own workers)")
    return DaskTaskRunner(address=dask)


@contextmanager
def prefect_api_for_workers(dask: str):
    """Around a `--dask local` run: one temporary Prefect server for the flow and its worker processes.

    Without PREFECT_API_URL, Prefect starts a temporary server in the flow's process, and Dask
    worker processes, which get the flow's settings with each task, would each start one more
    (a web server per worker competing for the cores, all on one SQLite file). Starting it here
    and putting its address in the settings makes the workers use the flow's server. Nothing to
    do when PREFECT_API_URL is set, or for a scheduler address: workers elsewhere cannot reach a
    server on this machine's 127.0.0.1 (set PREFECT_API_URL to a server they can reach instead).
    """
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if dask != "local" or PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer

    server = SubprocessASGIServer()  # the same instance Prefect's client would start
    server.start()
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


@task(name="ingest", **TASK_OPTS)
def ingest_task(contacts_path: str, cases_path: str | None, work: str, batch_size: int) -> dict:
    work_dir = Path(work)
    contacts, q_contacts = load_contacts(contacts_path)
    cases, q_cases = load_cases(cases_path)
    # one row group per extraction batch: each extract task reads only its own rows
    contacts.to_parquet(work_dir / "contacts.parquet", index=False, row_group_size=batch_size)
    cases.to_parquet(work_dir / "cases.parquet", index=False)
    quarantine = pd.concat([q_contacts, q_cases], ignore_index=True)[QUARANTINE_COLUMNS]
    quarantine.to_parquet(work_dir / "quarantine.parquet", index=False)
    return {"read": len(contacts) + len(q_contacts), "analysed": len(contacts), "quarantined": len(q_contacts),
            "case_rows_read": len(cases) + len(q_cases), "case_rows_quarantined": len(q_cases),
            "cases": int(contacts["crn"].nunique())}


@task(name="extract", task_run_name="extract-batch-{batch_no}", **TASK_OPTS)
def extract_task(work: str, batch_no: int, model_paths: tuple[str | None, str | None]) -> str:
    contacts = pq.ParquetFile(Path(work) / "contacts.parquet").read_row_group(batch_no).to_pandas()
    mentions = extract_mentions(cached_nlp(*model_paths), contacts)
    path = Path(work) / f"mentions-{batch_no:05d}.parquet"
    write_mentions(mentions, path)
    return str(path)


@task(name="analyse", task_run_name="analyse-cases-{batch_no}", **TASK_OPTS)
def analyse_task(work: str, out: str, batch_no: int, crns_path: str, mention_paths: list[str], settings_file: str | None) -> str:
    settings = Settings.load(settings_file)
    crns = set(pd.read_parquet(crns_path)["crn"])
    contacts = pd.read_parquet(Path(work) / "contacts.parquet", filters=[("crn", "in", list(crns))])
    mentions = pd.concat([pd.read_parquet(p, filters=[("crn", "in", list(crns))]) for p in mention_paths], ignore_index=True)
    cases = pd.read_parquet(Path(work) / "cases.parquet")
    findings, criteria, summaries = [], [], []
    cases_dir = Path(out) / "cases"
    for case, info in build_cases(contacts, mentions, cases):
        report = analyse_case(case, info, settings)
        write_case(report, cases_dir)
        findings.extend(report["findings"])
        criteria.extend(report["criteria"])
        summaries.append({"crn": case.crn, "file": case_filename(case.crn), "service": case.service, "rosh": case.rosh,
                          "team": report["team"], "officer": report["officer"], "contacts": len(report["contacts"]),
                          "gap_ids": [f["gap_id"] for f in report["findings"]]})
    path = Path(work) / f"analysis-{batch_no:05d}.json"
    path.write_text(json.dumps({"findings": findings, "criteria": criteria, "summaries": summaries}, default=str))
    return str(path)


# Without --dask, tasks run one at a time in this process. Prefect's default thread pool
# would start every batch at once: the work is CPU-bound Python (the GIL allows one thread
# at a time), so the threads only contend, and each first built its own pipeline. On
# 20,448 rows here the unbounded pool took 182 s to extract; see README "Larger batches".
DEFAULT_RUNNER = ThreadPoolTaskRunner(max_workers=1)


@flow(name="casenote-gap-analysis", log_prints=False, task_runner=DEFAULT_RUNNER)
def gap_analysis_flow(contacts_path: str, out_dir: str, cases_path: str | None = None,
                      settings_file: str | None = None) -> dict:
    """Run the whole analysis: ingest → extract (batches) → analyse (batches of cases) → report."""
    logger = get_run_logger()
    settings = Settings.load(settings_file)
    started = datetime.now(timezone.utc)
    timings: dict[str, float] = {}
    out = Path(out_dir)
    work = out / "_work"
    if work.exists():
        shutil.rmtree(work)
    (out / "cases").mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True)

    t = time.perf_counter()
    size = max(1, settings.batch_size)
    counts = ingest_task(contacts_path, cases_path, str(work), size)
    timings["ingest_s"] = round(time.perf_counter() - t, 3)
    logger.info("ingested: %d rows read, %d analysed, %d quarantined", counts["read"], counts["analysed"], counts["quarantined"])

    model_paths = (_model(settings.use_context_model, settings.context_model_path),
                   _model(settings.use_span_model, settings.span_model_path))

    t = time.perf_counter()
    n_batches = pq.ParquetFile(work / "contacts.parquet").num_row_groups if counts["analysed"] else 0
    futures = [extract_task.submit(str(work), i, model_paths) for i in range(n_batches)]
    mention_paths = [f.result() for f in futures]
    timings["extract_s"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    crns = sorted(pd.read_parquet(work / "contacts.parquet", columns=["crn"])["crn"].unique())
    ranges = batch_crn_ranges(work / "contacts.parquet")
    chunk = max(1, settings.cases_per_task)
    futures = []
    for i, start in enumerate(range(0, len(crns), chunk)):
        crns_path = work / f"crns-{i:05d}.parquet"
        chunk_crns = crns[start:start + chunk]
        pd.DataFrame({"crn": chunk_crns}).to_parquet(crns_path, index=False)
        paths = mention_files_for(chunk_crns[0], chunk_crns[-1], mention_paths, ranges)
        futures.append(analyse_task.submit(str(work), str(out), i, str(crns_path), paths, settings_file))
    parts = [json.loads(Path(f.result()).read_text()) for f in futures]
    timings["analyse_s"] = round(time.perf_counter() - t, 3)

    t = time.perf_counter()
    findings = [f for p in parts for f in p["findings"]]
    criteria = criteria_frame([c for p in parts for c in p["criteria"]])
    summaries = sorted((s for p in parts for s in p["summaries"]), key=lambda s: s["crn"])
    quarantine = pd.read_parquet(work / "quarantine.parquet")
    write_tables(out, findings, criteria, quarantine)
    manifest = build_manifest(counts, findings, settings, model_paths, started, timings, contacts_path, cases_path)
    write_index(out, summaries, [r["id"] for r in load_rules("gaps")["rules"]], manifest)
    timings["report_s"] = round(time.perf_counter() - t, 3)
    manifest["timings"] = timings
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2))
    shutil.rmtree(work)
    logger.info("wrote %d findings for %d cases", len(findings), counts["cases"])
    return {"findings": len(findings), **{k: manifest["rows"][k] for k in ("read", "analysed", "quarantined")}}


def batch_crn_ranges(contacts_path) -> list[tuple[str, str]]:
    """(first, last) crn of each extraction batch (row group). Ingest sorts contacts by crn,
    so each batch holds a contiguous run of cases."""
    pf = pq.ParquetFile(contacts_path)
    ranges = []
    for i in range(pf.num_row_groups):
        crn = pf.read_row_group(i, columns=["crn"]).column("crn").to_pylist()
        ranges.append((min(crn), max(crn)))
    return ranges


def mention_files_for(first: str, last: str, mention_paths: list[str], ranges: list[tuple[str, str]]) -> list[str]:
    """The mentions files an analysis chunk of cases (crns `first`..`last`) needs: those of
    the batches whose crn range overlaps it, so a task does not open every batch's file."""
    return [p for p, (lo, hi) in zip(mention_paths, ranges) if lo <= last and hi >= first]


def usable_cores() -> int:
    """Cores this process may run on (respects CPU affinity, unlike os.cpu_count)."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def _model(use: bool, path: str) -> str | None:
    """The model path to use, verified against its provenance (None when off or absent)."""
    if not use or not Path(path).exists():
        return None
    artefacts.verify(path)  # refuse a model file we did not produce
    return path


def build_manifest(counts, findings, settings, model_paths, started, timings, contacts_path, cases_path) -> dict:
    return {
        "rows": {"read": counts["read"], "analysed": counts["analysed"], "quarantined": counts["quarantined"]},
        "case_rows": {"read": counts["case_rows_read"], "quarantined": counts["case_rows_quarantined"]},
        "cases": counts["cases"],
        "findings": len(findings),
        "findings_by_gap": dict(sorted(Counter(f["gap_id"] for f in findings).items())),
        "inputs": {"contacts": Path(contacts_path).name, "cases": Path(cases_path).name if cases_path else None},
        "versions": artefacts.versions(),
        "models": artefacts.model_hashes(*model_paths),
        "settings": {k: v for k, v in vars(settings).items()},
        "started_at": started.isoformat(timespec="seconds"),
        "finished_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "timings": timings,
    }
