"""`casenotes` command line (also `python -m pipeline`)."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Optional

# Prefect settings must be in the environment before prefect is imported.
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "WARNING")

import typer  # noqa: E402

from pipeline.config import CONTEXT_MODEL, SAMPLE_DIR, SPAN_MODEL  # noqa: E402  (SAMPLE_DIR: evaluate's default gold file)

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Case-note gap analysis.")


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@app.command()
def run(
    contacts: Path = typer.Argument(..., help="Contacts file: CSV, JSON Lines or Parquet."),
    out: Path = typer.Option(..., "--out", help="Output directory."),
    cases: Optional[Path] = typer.Option(None, "--cases", help="Optional cases file (rosh, service, team, officer, registers)."),
    settings: Optional[Path] = typer.Option(None, "--settings", help="YAML file overriding pipeline/settings.yaml."),
    dask: Optional[str] = typer.Option(
        None, "--dask", metavar="local|ADDRESS",
        help="Run the tasks on Dask: 'local' starts worker processes on this machine (all cores); "
             "an address such as tcp://host:8786 uses a running cluster. Needs pip install -e '.[dask]'."),
    workers: Optional[int] = typer.Option(
        None, "--workers", min=1, help="With --dask local: how many worker processes (default: one per core)."),
):
    """Run the whole analysis and write SPEC section 5's files to OUT."""
    from contextlib import nullcontext

    from pipeline.artefacts import ArtefactError
    from pipeline.ingest import InputError, check_file

    for path, what in ((contacts, "contacts"), (cases, "cases")):
        if path is not None:
            try:
                check_file(path, what)  # fail fast, with one line, before Prefect starts
            except InputError as exc:
                _fail(str(exc))
    if workers is not None and dask != "local":
        _fail("--workers applies only to --dask local")
    from pipeline.flows import gap_analysis_flow

    flow, around = gap_analysis_flow, nullcontext()
    if dask:
        from pipeline.flows import DaskUnavailable, dask_task_runner, prefect_api_for_workers

        try:
            runner = dask_task_runner(dask, workers)
        except (DaskUnavailable, ValueError) as exc:
            _fail(str(exc))
        flow, around = gap_analysis_flow.with_options(task_runner=runner), prefect_api_for_workers(dask)
    try:
        with around:
            result = flow(
                contacts_path=str(contacts.resolve()), out_dir=str(out.resolve()),
                cases_path=str(cases.resolve()) if cases else None,
                settings_file=str(settings.resolve()) if settings else None,
            )
    except (InputError, ArtefactError, ValueError) as exc:
        _fail(str(exc))
    typer.echo(
        f"{result['read']} rows read, {result['analysed']} analysed, {result['quarantined']} quarantined; "
        f"{result['findings']} findings → {out / 'index.html'}"
    )


@app.command()
def evaluate(
    out: Path = typer.Argument(..., help="Output directory of a run (its gaps.csv is scored)."),
    gold: Path = typer.Option(SAMPLE_DIR / "gold_gaps.csv", "--gold", help="Gold gaps file: crn, gap_id."),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
):
    """Score a run's gaps against a gold file: precision, recall, F1 per gap id and overall."""
    from pipeline.evaluate import format_table, score_gaps

    import json

    result = score_gaps(out / "gaps.csv", gold)
    typer.echo(format_table(result))
    if json_out:
        json_out.write_text(json.dumps(result, indent=2))


annotations_app = typer.Typer(no_args_is_help=True, help="Annotation corpus: build, import, agreement.")
app.add_typer(annotations_app, name="annotations")


@annotations_app.command("build")
def annotations_build():
    """Rebuild annotations/spans.jsonl from annotations/src/*.txt and annotations/imported/*.jsonl."""
    from pipeline.annotations.corpus import build
    from pipeline.annotations.markup import MarkupError

    try:
        path, counts = build()
    except MarkupError as exc:
        _fail(str(exc))
    typer.echo(f"{path}: {counts}")


@annotations_app.command("import")
def annotations_import(
    export: Path = typer.Argument(..., help="A Label Studio JSON export or a doccano JSONL export."),
    fmt: str = typer.Option(..., "--format", help="labelstudio or doccano"),
    name: str = typer.Option(..., "--name", help="Stem of annotations/imported/<name>.jsonl"),
):
    """Convert an annotation tool's export into annotations/imported/, then rebuild the corpus."""
    from pipeline.annotations.corpus import build, write_jsonl
    from pipeline.annotations.importers import IMPORTERS
    from pipeline.config import ANNOTATIONS_DIR

    if fmt not in IMPORTERS:
        _fail(f"unknown format {fmt!r}; use one of {', '.join(IMPORTERS)}")
    try:
        records = IMPORTERS[fmt](export)
    except (ValueError, KeyError, OSError) as exc:
        _fail(f"cannot import {export.name}: {exc}")
    target = ANNOTATIONS_DIR / "imported" / f"{name}.jsonl"
    target.parent.mkdir(exist_ok=True)
    write_jsonl(target, records)
    path, counts = build()
    typer.echo(f"imported {len(records)} examples into {target}; corpus now {counts}")


@annotations_app.command("agreement")
def annotations_agreement(
    files: Optional[list[Path]] = typer.Argument(None, help="Second annotations (markup) of corpus notes; "
                                                 "default annotations/agreement/*.txt"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
):
    """Agreement of a second annotator with the corpus, and of the extractor with both, on the same notes."""
    import json

    from pipeline.agreement import AgreementError, agreement_study, format_agreement
    from pipeline.annotations.markup import MarkupError
    from pipeline.config import ANNOTATIONS_DIR

    files = files or sorted((ANNOTATIONS_DIR / "agreement").glob("*.txt"))
    if not files:
        _fail("no second annotations given, and annotations/agreement/ has none")
    try:
        result = agreement_study(files)
    except (AgreementError, MarkupError, OSError) as exc:
        _fail(str(exc))
    typer.echo(format_agreement(result))
    if json_out:
        json_out.write_text(json.dumps(result, indent=2))


@app.command("evaluate-extraction")
def evaluate_extraction_cmd(
    split: str = typer.Option("test", "--split", help="train, dev or test"),
    json_out: Optional[Path] = typer.Option(None, "--json", help="Also write the figures as JSON."),
    rules_only: bool = typer.Option(False, "--rules-only", help="Do not score the learned models."),
    sources: Optional[str] = typer.Option(None, "--sources", help="Only examples whose annotation file matches this "
                                          "regex (meta.source), e.g. 'src/batch11_' or '^src/(?!batch11_)'."),
    resamples: int = typer.Option(1000, "--resamples", min=0, help="Bootstrap resamples of the examples for the 95% "
                                  "intervals of each F1 and of the models' gain over the rules (0: no intervals)."),
):
    """Span P/R/F1 per label (strict) and context-flag accuracy/F1, rules vs rules+models side by side,
    each F1 with a 95% bootstrap interval over examples."""
    import json

    from pipeline.training import evaluate_extraction, format_extraction

    result = evaluate_extraction(split, None if rules_only else CONTEXT_MODEL,
                                 span_model_path=None if rules_only else SPAN_MODEL, sources=sources, resamples=resamples)
    typer.echo(format_extraction(result))
    if json_out:
        json_out.write_text(json.dumps(result, indent=2))


@app.command("train-context")
def train_context_cmd(force: bool = typer.Option(False, "--force", help="Save even if it does not beat the current model.")):
    """Train the context model on the train split; ship it only if it beats the current one on dev,
    refitted on train + dev (the train-only fit is kept in models/held-out/)."""
    from pipeline.training import train_context

    _report_training(train_context(force=force))


@app.command("train-spans")
def train_spans_cmd(force: bool = typer.Option(False, "--force", help="Save even if it does not beat the current model.")):
    """Train the span tagger on the train split; ship it only if rules + it beat the current combination
    on dev, refitted on train + dev (the train-only fit is kept in models/held-out/)."""
    from pipeline.training import train_spans

    _report_training(train_spans(force=force))


def _report_training(report: dict) -> None:
    """Print a training report; exit 1 when the ship gate kept the current model."""
    import json

    typer.echo(json.dumps(report, indent=2))
    if not report["saved"]:
        raise typer.Exit(1)


@app.command("sample-cases")
def sample_cases_cmd(
    out: Path = typer.Argument(..., help="Output directory of a run."),
    n: int = typer.Option(20, "--n", help="How many flagged cases."),
    seed: int = typer.Option(1, "--seed", help="Random seed: the same seed gives the same sample."),
    gap: Optional[str] = typer.Option(None, "--gap", help="Only cases with this gap id."),
):
    """Pick a reproducible sample of flagged cases for an inspector (writes OUT/sample-<seed>.csv and .html)."""
    from pipeline.sampling import sample_cases

    try:
        csv_path, html_path, rows = sample_cases(out, n=n, seed=seed, gap=gap)
    except (FileNotFoundError, ValueError) as exc:
        _fail(str(exc))
    typer.echo(f"{len(rows)} cases → {html_path}")


def main() -> None:
    try:
        app()
    except KeyboardInterrupt:
        sys.exit(130)


if __name__ == "__main__":
    main()
