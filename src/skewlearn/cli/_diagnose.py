"""The ``skewlearn diagnose`` command: why a dataset is hard, readable at 80 columns."""

from __future__ import annotations

from typing import Annotated

import typer

from skewlearn.cli import (
    DataArgument,
    TargetOption,
    _fail,
    _load_data,
    _table,
    app,
    console,
    error_console,
)

_TYPES = ("safe", "borderline", "rare", "outlier")


@app.command()
def diagnose(
    data: DataArgument,
    target: TargetOption = None,
    seed: Annotated[int, typer.Option(help="Seeds the samples of the large-data measures.")] = 0,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print one JSON object (every number) and nothing else."),
    ] = False,
    against: Annotated[
        str | None,
        typer.Option(
            help="A CSV, Parquet or Excel file of new rows: test for shift and estimate "
            "their class prior."
        ),
    ] = None,
    suspects: Annotated[
        str | None,
        typer.Option(help="Write the label-noise suspect rows (with their features) to this CSV."),
    ] = None,
    html: Annotated[
        str | None,
        typer.Option(help="Also write a self-contained diagnosis page (HTML) to this file."),
    ] = None,
) -> None:
    """Say why DATA is hard: minority types, complexity, small disjuncts, label noise, shift."""
    import pandas as pd

    from skewlearn.app import diagnosis_record, run_diagnose
    from skewlearn.datasets import read_table

    dataset = _load_data(data, target)
    try:
        new = None if against is None else read_table(against)
        diagnosis = run_diagnose(dataset, seed=seed, against=new)
    except (ValueError, OSError) as error:
        raise _fail(error) from None
    record = diagnosis_record(diagnosis, dataset)
    if html is not None:
        from skewlearn.report import write_diagnosis_html

        page = write_diagnosis_html(record, html)
        (error_console if as_json else console).print(f"diagnosis page: {page}", soft_wrap=True)
    if suspects is not None and diagnosis.label_noise is None:
        why = diagnosis.skipped.get("label_noise", "")
        # One line however wide the terminal, as the command's errors.
        error_console.print(f"no suspects written to {suspects}: {why}", highlight=False,
                            markup=False, soft_wrap=True)  # fmt: skip
    elif suspects is not None:
        noise = diagnosis.label_noise
        rows = dataset.X.iloc[noise.rows].reset_index(drop=True)
        pd.concat([noise.frame(), rows], axis=1).to_csv(suspects, index=False)
    if as_json:
        import json

        # Plain print: rich would wrap long lines and colour the text.
        print(json.dumps(record))
        return
    _print_diagnosis(record)


def _share(count: int, total: int) -> str:
    return f"{count} ({count / max(total, 1):.0%})"


def _print_diagnosis(record: dict) -> None:
    from rich.table import Table

    from skewlearn.report import MEASURE_MEANINGS

    console.print(
        f"[bold]{record['name']}[/]: {record['rows']} rows, {record['features']} features, "
        f"{len(record['class_counts'])} classes"
    )
    counts = record["class_counts"]
    classes = _table("classes", padding=(0, 1), show_edge=False)
    classes.add_column("class", overflow="fold")
    classes.add_column("rows", justify="right")
    classes.add_column("share", justify="right")
    for label, count in counts.items():
        classes.add_row(label, str(count), f"{count / record['rows']:.1%}")
    console.print(classes)
    console.print()

    typology = _table("minority types (5 nearest neighbours)", padding=(0, 1), show_edge=False)
    typology.add_column("class", overflow="fold")
    for kind in _TYPES:
        typology.add_column(kind, justify="right", no_wrap=True)
    for label, by_type in record["typology"].items():
        total = sum(by_type.values())
        typology.add_row(label, *(_share(by_type[kind], total) for kind in _TYPES))
    console.print(typology)
    console.print("[dim]same-class neighbours of 5: 4-5 safe, 2-3 borderline, 1 rare, 0 outlier[/]")

    sampled = record["sampled"]
    measures = _table("complexity (higher = harder)", padding=(0, 1), show_edge=False)
    measures.add_column("measure", no_wrap=True)
    measures.add_column("value", justify="right", no_wrap=True)
    measures.add_column("meaning", overflow="fold")
    for name, value in record["complexity"].items():
        shown = "n/a" if value is None else f"{value:.3f}"
        measures.add_row(name, shown + ("*" if name in sampled else " "), MEASURE_MEANINGS[name])
    console.print()
    console.print(measures)
    for name, by_class in record["complexity_per_class"].items():
        values = ", ".join(
            f"{label} {'n/a' if value is None else f'{value:.3f}'}"
            for label, value in by_class.items()
        )
        console.print(f"  {name} per class: {values}", highlight=False)
    if sampled:
        console.print("  [dim]*: estimated on a sample (see below)[/]")

    console.print("\n[bold]small disjuncts[/] (groups each minority class forms, largest first)")
    for label, sizes in record["disjuncts"].items():
        grouped = [size for size in sizes if size > 1]
        lone = len(sizes) - len(grouped)
        shown = " ".join(map(str, grouped[:12])) + (" ..." if len(grouped) > 12 else "")
        groups = f"{len(sizes)} group" + ("s" if len(sizes) != 1 else "")
        lone_rows = f" and {lone} lone row" + ("s" if lone != 1 else "") if lone else ""
        console.print(f"  {label}: {groups}: {shown or 'none of 2+ rows'}{lone_rows}")

    _print_noise(record)
    _print_shift(record)

    console.print("\n[bold]findings[/]")
    sentences = Table.grid(padding=(0, 1))
    sentences.add_column(no_wrap=True)
    sentences.add_column(overflow="fold")
    for found in record["findings"]:
        sentences.add_row(" -", found["sentence"])
    if not record["findings"]:
        sentences.add_row(" -", "none of the rules holds (see skewlearn.diagnose.FindingRules)")
    console.print(sentences)

    from rich.markup import escape

    for part, why in record["skipped"].items():
        # escape: "skewlearn[noise]" is not markup.
        console.print(
            f"[yellow]skipped {part.replace('_', ' ')}:[/] {escape(why)}", highlight=False
        )
    console.print()
    if sampled:
        by_size: dict[int, list[str]] = {}
        for name, rows in sampled.items():
            by_size.setdefault(rows, []).append(name)
        for rows, names in by_size.items():
            console.print(f"[dim]sampled: {', '.join(names)} on {rows} of {record['rows']} rows[/]")
    else:
        console.print(f"[dim]every measure is exact (all {record['rows']} rows)[/]")


def _print_noise(record: dict) -> None:
    noise = record["label_noise"]
    if noise is None:
        return
    console.print(
        f"\n[bold]label-noise suspects[/]: {noise['suspects']} rows ({noise['share']:.1%}), "
        f"confident learning on out-of-fold probabilities ({noise['folds']} folds)",
        highlight=False,
    )
    if not noise["pairs"]:
        return
    pairs = _table("", padding=(0, 1), show_edge=False)
    pairs.add_column("given", overflow="fold")
    pairs.add_column("suggested", overflow="fold")
    pairs.add_column("rows", justify="right")
    pairs.add_column("of given class", justify="right")
    for pair in noise["pairs"]:
        total = record["class_counts"][pair["given"]]
        pairs.add_row(pair["given"], pair["suggested"], str(pair["rows"]),
                      f"{pair['rows'] / total:.1%}")  # fmt: skip
    console.print(pairs)
    least = ", ".join(str(row["row"]) for row in noise["rows"][:10])
    console.print(
        f"  least self-confident rows (0-based): {least}"
        + (" ..." if len(noise["rows"]) > 10 else ""),
        highlight=False,
    )
    console.print("  [dim]all rows: --json or --suspects FILE.csv[/]")


def _print_shift(record: dict) -> None:
    from rich.markup import escape

    found = record["shift"]
    if found is None:
        return
    verdict = "differs" if found["shifted"] else "no detectable shift"
    console.print(
        f"\n[bold]shift against the new data[/] ({found['rows']['new']} rows): {verdict}",
        highlight=False,
    )
    console.print(
        f"  domain classifier ROC-AUC {found['domain_auc']:.3f} (0.5 = same), "
        f"p = {found['p_value']:.3g} ({found['permutations']} permutations, "
        f"{found['folds']} folds, {found['sampled']['train']} + {found['sampled']['new']} rows)",
        highlight=False,
    )
    features = _table(f"per-feature tests (Holm, {found['alpha']:.0%})", padding=(0, 1),
                      show_edge=False)  # fmt: skip
    features.add_column("feature", overflow="fold")
    features.add_column("test", no_wrap=True)
    features.add_column("statistic", justify="right", no_wrap=True)
    features.add_column("p (Holm)", justify="right", no_wrap=True)
    features.add_column("drifted", no_wrap=True)
    for row in found["features"][:10]:
        statistic = "n/a" if row["statistic"] is None else f"{row['statistic']:.3f}"
        p_holm = "n/a" if row["p_holm"] is None else f"{row['p_holm']:.3g}"
        features.add_row(row["feature"], row["test"], statistic, p_holm,
                         "yes" if row["drifted"] else "")  # fmt: skip
    console.print(features)
    if len(found["features"]) > 10:
        console.print(f"  [dim]{len(found['features']) - 10} more features: --json[/]")
    prior = found["prior"]
    if prior is not None:
        shares = ", ".join(
            f"{label} {prior['train'][label]:.1%} -> {share:.1%}"
            for label, share in prior["new"].items()
        )
        console.print(f"  class prior, training -> new (EM estimate): {shares}", highlight=False)
        console.print(f"  [dim]{escape(prior['use'])}[/]", highlight=False)
