"""`tandem estimate-backtest FILE --target COLUMN`: how well history predicts, out of sample."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from tandem.estimates.logic import backtest
from tandem.estimates.logic.datasets import read_dataset

MEASURES = ("MdMRE", "MMRE", "PRED25", "MAE", "SA", "fold_MdMRE_median")


class Command(BaseCommand):
    help = (
        "Cross-validate the estimation from past projects on a CSV or ARFF file and compare it "
        "with the mean and median baselines (MdMRE, MMRE, PRED(25), MAE, SA)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="CSV or ARFF file of past projects")
        parser.add_argument("--target", required=True, help="column to predict (e.g. hours)")
        parser.add_argument(
            "--drop", action="append", default=[], help="column not to use (repeatable)"
        )
        parser.add_argument(
            "--size", help="size driver for adaptation (a numeric column, e.g. screen area)"
        )
        parser.add_argument(
            "--missing",
            action="append",
            default=[],
            help="value meaning unknown besides '?' and empty (e.g. -1; repeatable)",
        )
        parser.add_argument(
            "--complete", action="store_true", help="skip rows missing any feature value"
        )
        parser.add_argument("--folds", type=int, help="folds per repeat (default 3)")
        parser.add_argument("--repeats", type=int, help="repeats of k-fold (default 20)")
        parser.add_argument("--loo", action="store_true", help="leave-one-out instead of k-fold")
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--json", action="store_true", help="print one JSON object")

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"no such file: {path}")
        if options["loo"] and (options["folds"] is not None or options["repeats"] is not None):
            raise CommandError("--loo cannot be combined with --folds or --repeats")
        folds = None if options["loo"] else _default(options["folds"], 3)
        repeats = 1 if options["loo"] else _default(options["repeats"], 20)
        if options["folds"] is not None and options["folds"] < 2:
            raise CommandError("--folds must be at least 2")
        if repeats < 1:
            raise CommandError("--repeats must be at least 1")
        try:
            data = read_dataset(
                path,
                options["target"],
                drop=options["drop"],
                missing=options["missing"],
                complete=options["complete"],
            )
        except ValueError as exc:
            raise CommandError(f"{path}: {exc}") from exc
        features = data.features
        size = None
        if options["size"]:
            size = next((f for f in features if f.casefold() == options["size"].casefold()), None)
            if size is None or size in data.nominal:
                raise CommandError(
                    f"--size {options['size']!r} must be a numeric column that is not the "
                    "target nor dropped"
                )
        n = len(data.rows)
        if n < 3:
            raise CommandError(f"only {n} usable rows: need at least 3 to cross-validate")
        if folds is not None and folds > n:
            raise CommandError(f"--folds {folds} is more than the {n} usable rows")
        results = backtest.cross_validate(
            data.rows,
            data.target,
            features,
            nominal=[f for f in features if f in data.nominal],
            size=size,
            folds=folds,
            repeats=repeats,
            seed=options["seed"],
        )
        info = {
            "rows": n,
            "skipped": data.skipped,
            "incomplete": data.incomplete,
            "header_rows": data.header_rows,
            "ignored_sections": data.ignored_sections,
            "protocol": "loo" if folds is None else f"{folds}-fold x {repeats}",
        }
        if options["json"]:
            self.stdout.write(json.dumps({**results, "data": info}, indent=2, sort_keys=True))
            return
        self._table(results, info, data.target, features, size)

    def _table(self, results, info, target, features, size):
        self.stdout.write(
            f"{info['rows']} rows used, {info['skipped']} skipped (target missing or not "
            f"positive), {info['incomplete']} incomplete, {info['header_rows']} header echoes, "
            f"{info['ignored_sections']} repeated data sections ignored"
        )
        self.stdout.write(
            f"target {target}; {info['protocol']}; size driver {size or 'none'}; "
            f"features: {', '.join(features)}"
        )
        header = f"{'method':<8}" + "".join(f"{m:>19}" for m in MEASURES)
        self.stdout.write(header)
        for method, values in results.items():
            cells = "".join(
                f"{values[m]:>19.2f}" if m == "MAE" else f"{values[m]:>19.3f}" for m in MEASURES
            )
            self.stdout.write(f"{method:<8}{cells}")


def _default(value: int | None, default: int) -> int:
    return default if value is None else value
