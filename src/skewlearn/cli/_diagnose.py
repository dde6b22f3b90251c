"""The ``skewlearn diagnose`` command: why a dataset is hard, readable at 80 columns."""

from __future__ import annotations

from typing import Annotated

import typer

from skewlearn.cli import DataArgument, TargetOption, _fail, _load_data, _table, app, console

# One line each, higher = harder for every measure (see skewlearn.diagnose for definitions).
_MEANINGS = {
    "F1": "no single feature separates the classes",
    "F1v": "no linear direction separates the classes",
    "F2": "volume of the region where classes overlap",
    "F3": "rows in the overlap even on the best feature",
    "F4": "rows still in the overlap using every feature",
    "N1": "rows on a class border (spanning tree)",
    "N2": "own class not nearer than the other classes",
    "N3": "rows misclassified by their nearest neighbour",
    "N4": "1-NN error on interpolated points",
    "T1": "pure hyperspheres needed, per row",
    "LSC": "small pure neighbourhoods (local sets)",
    "L1": "distance of errors to a linear boundary",
    "L2": "linear SVM error on the training rows",
    "L3": "linear SVM error on interpolated points",
    "T2": "features per row",
    "T3": "principal components (95% variance) per row",
    "T4": "share of features those components need",
    "C1": "class-share entropy deficit (0 = balanced)",
    "C2": "imbalance from the class ratios (0 = balanced)",
    "ONB": "pure balls covering each class, per row",
}
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
) -> None:
    """Say why DATA is hard: minority types, complexity measures, small disjuncts."""
    from skewlearn.app import diagnosis_record, run_diagnose

    dataset = _load_data(data, target)
    try:
        diagnosis = run_diagnose(dataset, seed=seed)
    except ValueError as error:
        raise _fail(error) from None
    record = diagnosis_record(diagnosis, dataset)
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
        measures.add_row(name, shown + ("*" if name in sampled else " "), _MEANINGS[name])
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

    console.print("\n[bold]findings[/]")
    sentences = Table.grid(padding=(0, 1))
    sentences.add_column(no_wrap=True)
    sentences.add_column(overflow="fold")
    for found in record["findings"]:
        sentences.add_row(" -", found["sentence"])
    if not record["findings"]:
        sentences.add_row(" -", "none of the rules holds (see skewlearn.diagnose.FindingRules)")
    console.print(sentences)

    console.print()
    if sampled:
        by_size: dict[int, list[str]] = {}
        for name, rows in sampled.items():
            by_size.setdefault(rows, []).append(name)
        for rows, names in by_size.items():
            console.print(f"[dim]sampled: {', '.join(names)} on {rows} of {record['rows']} rows[/]")
    else:
        console.print(f"[dim]every measure is exact (all {record['rows']} rows)[/]")
