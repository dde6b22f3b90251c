"""The ``skewlearn active`` commands: ``simulate`` query strategies on embedded suites, and
``next``: the rows a person should label next.

Bad input ends with one clear line on stderr and exit code 2; ``next`` never writes the
labels file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from skewlearn.cli import (
    EngineOption,
    MaxNOption,
    NJobsOption,
    SchedulerOption,
    StoreOption,
    _check_engine,
    _fail,
    _table,
    app,
    console,
)

active_app = typer.Typer(
    name="active",
    help="Active learning: simulate query strategies on suites, or pick the next rows to label.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    # Click's plain help: no '<bool>' after flags, defaults wrapped rather than cut.
    rich_markup_mode=None,
)


@active_app.command()
def simulate(
    suite: Annotated[
        str,
        typer.Option(help="keel-multiclass, keel-binary, or comma-separated dataset names."),
    ] = "keel-multiclass",
    strategies: Annotated[
        str | None,
        typer.Option(
            help="Comma-separated query strategies (default: tailor, random_choice and every "
            "single strategy)."
        ),
    ] = None,
    seeds: Annotated[int, typer.Option(help="Simulations per dataset and strategy.")] = 5,
    learner: Annotated[str, typer.Option(help="lr, hgb, or lr,hgb.")] = "lr",
    out: Annotated[
        Path, typer.Option(help="Folder for report.html (and the default store, active.sqlite).")
    ] = Path("active-report"),
    store: StoreOption = None,
    engine: EngineOption = "local",
    scheduler: SchedulerOption = None,
    n_jobs: NJobsOption = 1,
    max_n: MaxNOption = None,
    initial: Annotated[float, typer.Option(help="Share of the pool labelled at start.")] = 0.01,
    batch: Annotated[float, typer.Option(help="Share of the pool queried per round.")] = 0.01,
    budget: Annotated[float, typer.Option(help="Stop when this share is labelled.")] = 0.3,
    seed: Annotated[int, typer.Option(help="Seeds every split, initial set and strategy.")] = 0,
    retry_failed: Annotated[
        bool, typer.Option("--retry-failed", help="Run failed simulations again.")
    ] = False,
) -> None:
    """Replay labelled suites as oracles: strategies x datasets x seeds into a resumable
    store, then an HTML report (learning curves, areas under them, ranks, Nemenyi diagram)."""
    from skewlearn.app._active_simulate import (
        DEFAULT_STRATEGIES,
        SimulationPlan,
        resolve_candidates,
        run_active_suite,
        write_simulation_report,
    )
    from skewlearn.bench import resolve_datasets
    from skewlearn.evaluation import SQLiteStore, StoreError

    _check_engine(engine)
    chosen = strategies or ",".join(DEFAULT_STRATEGIES)
    try:
        plan = SimulationPlan(initial=initial, batch_size=batch, budget=budget, seed=seed)
        # Names are checked before anything is written: a typo leaves nothing behind.
        resolve_datasets(suite, max_n=max_n)
        resolve_candidates(chosen, learner)
    except (ValueError, KeyError) as error:
        raise _fail(error) from None
    if out.exists() and not out.is_dir():
        raise _fail(ValueError(f"--out {out} is a file; give a folder"))
    out.mkdir(parents=True, exist_ok=True)
    path = store or out / "active.sqlite"

    def on_start(pending: int, done: int) -> None:
        if done:
            console.print(f"resuming: {done} simulations already in {path}, {pending} to run")
        else:
            console.print(f"{pending} simulations to run")

    def on_result(result) -> None:
        console.print(
            f"{result.dataset} {result.strategy} seed {result.fold}: {result.status}"
            + (f" ({result.error})" if result.error else ""),
            highlight=False,
        )

    try:
        with SQLiteStore(path) as results:
            outcome = run_active_suite(
                results,
                suite,
                chosen,
                learners=learner,
                seeds=seeds,
                plan=plan,
                engine=engine,
                scheduler=scheduler,
                n_jobs=n_jobs,
                max_n=max_n,
                retry_failed=retry_failed,
                on_start=on_start,
                on_result=on_result,
            )
            report_path, report = write_simulation_report(results, out / "report.html")
    except (ValueError, KeyError, ImportError, StoreError) as error:
        raise _fail(error) from None
    console.print(
        f"{outcome.planned} simulations: {outcome.already_done} were already done, "
        f"{outcome.ran} ran ({outcome.failed} failed) in {outcome.elapsed:.1f} s; results in {path}"
    )
    _print_best(report)
    console.print(f"report: {report_path}")


@active_app.command()
def report(
    store: Annotated[Path, typer.Argument(help="A results file written by `active simulate`.")],
    out: Annotated[Path, typer.Option(help="Where to write the HTML report.")] = Path(
        "active-report.html"
    ),
    alpha: Annotated[float, typer.Option(help="Significance level of the tests.")] = 0.05,
) -> None:
    """The report of a store of simulations (learning curves, areas under them, ranks,
    Nemenyi diagram) as HTML, without running anything."""
    from skewlearn.app._active_simulate import write_simulation_report
    from skewlearn.evaluation import SQLiteStore, StoreError

    if not store.exists():
        raise _fail(
            FileNotFoundError(f"{store} does not exist: run `skewlearn active simulate` first")
        )
    try:
        with SQLiteStore(store) as results:
            path, summary = write_simulation_report(results, out, alpha=alpha)
    except (ValueError, KeyError, StoreError) as error:
        raise _fail(error) from None
    _print_best(summary)
    console.print(f"report: {path}")


def _print_best(report) -> None:
    """The best average rank of each area-under-the-curve section, one line each."""
    for section in report.sections:
        if len(section.ranks):
            console.print(
                f"area under the {section.metric} curve: best average rank "
                f"{section.ranks.index[0]} ({section.ranks.iloc[0]:.2f}) over "
                f"{section.n_datasets} datasets"
            )


@active_app.command("next")
def next_(
    pool: Annotated[Path, typer.Argument(help="The rows to label from (CSV, Parquet, Excel).")],
    labels: Annotated[
        Path | None,
        typer.Option(help="The labels so far: id,label rows. Omit before the first label."),
    ] = None,
    batch: Annotated[int, typer.Option(help="How many rows to ask for.")] = 20,
    out: Annotated[Path, typer.Option(help="Where to write the rows to label (CSV).")] = Path(
        "to_label.csv"
    ),
    id_column: Annotated[
        str | None, typer.Option("--id", help="The pool's id column (detected when obvious).")
    ] = None,
    strategy: Annotated[str, typer.Option(help="Query strategy (see `active simulate`).")] = (
        "tailor"
    ),
    learner: Annotated[str, typer.Option(help="lr or hgb.")] = "lr",
    seed: Annotated[int, typer.Option(help="Same files and seed, same batch.")] = 0,
) -> None:
    """Choose the next rows to label from POOL and the labels so far; the labels file is the
    whole state and is never written."""
    from skewlearn.app._active_next import next_batch, write_batch

    if labels is not None and not labels.is_file():
        raise _fail(
            FileNotFoundError(f"no labels file at {labels}; omit --labels before the first label")
        )
    try:
        chosen = next_batch(
            pool,
            labels,
            batch=batch,
            id_column=id_column,
            strategy=strategy,
            learner=learner,
            seed=seed,
        )
        path = write_batch(chosen, out, protect=[pool, labels])
    except (ValueError, KeyError, OSError) as error:
        raise _fail(error) from None
    console.print(f"labels so far: {chosen.n_labelled} of {chosen.n_pool} pool rows")
    table = _table("")
    table.add_column("class")
    table.add_column("labels", justify="right")
    table.add_column("")
    for label, count in chosen.counts.items():
        table.add_row(str(label), str(count), "new class" if label in chosen.new_classes else "")
    if len(chosen.counts):
        console.print(table)
    for note in chosen.notes:
        console.print(f"note: {note}", highlight=False)
    console.print(
        f"wrote {len(chosen.rows)} rows to label to {path} (strategy {chosen.strategy}); "
        f"add their labels to {labels or 'a labels file (id,label)'} and run again",
        highlight=False,
    )


app.add_typer(active_app, name="active")
