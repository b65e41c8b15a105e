"""`glassnet serve`, `glassnet run SPEC.json`, `glassnet presets`."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def _load_spec(source: str) -> dict[str, Any]:
    """A RunSpec from a file, or from a preset when given as `preset:ID`."""
    if source.startswith("preset:"):
        from glassnet.presets import get_preset

        spec: dict[str, Any] = get_preset(source.removeprefix("preset:"))["spec"]
        return spec
    loaded: dict[str, Any] = json.loads(Path(source).read_text(encoding="utf-8"))
    # a preset file is accepted as it is: its RunSpec is under "spec"
    return loaded.get("spec", loaded) if "network" not in loaded else loaded


def cmd_run(args: argparse.Namespace) -> int:
    """Train headless with a progress bar; write metrics and the final snapshot as JSON."""
    from tqdm import tqdm

    from glassnet.engine import SpecError, Trainer

    try:
        spec = _load_spec(args.spec)
    except (OSError, json.JSONDecodeError, KeyError) as error:
        print(f"glassnet: cannot read {args.spec}: {error}", file=sys.stderr)
        return 2
    if args.epochs is not None:
        spec.setdefault("training", {})["epochs"] = args.epochs
    try:
        trainer = Trainer(spec)
    except SpecError as error:
        print("glassnet: the spec has problems:", file=sys.stderr)
        for p in error.problems:
            print(f"  {p.pointer or '/'}: {p.message}", file=sys.stderr)
        return 2
    total = trainer.spec.training.epochs
    with tqdm(total=total, unit="epoch", disable=args.quiet, file=sys.stderr) as bar:
        while not trainer.done and (args.steps is None or trainer.step_count < args.steps):
            before = trainer.epoch
            trainer.step(1)
            if trainer.epoch != before:
                bar.update(trainer.epoch - before)
                latest = trainer.latest_metrics or {}
                bar.set_postfix(loss=f"{latest.get('loss', float('nan')):.4g}")
    result = {
        "status": trainer.status,
        "stop_reason": trainer.stop_reason,
        "diagnosis": trainer.diagnosis,
        "path": trainer.path_name,
        "steps": trainer.step_count,
        "epochs": trainer.epoch,
        "metrics": trainer.metrics,
        "snapshot": trainer.snapshot(),
    }
    text = json.dumps(result, indent=None if args.compact else 1)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")
        print(f"{trainer.status}: {trainer.stop_reason} → {args.out}", file=sys.stderr)
    else:
        print(text)
    return 0 if trainer.status in ("finished", "running") else 1


def cmd_presets(args: argparse.Namespace) -> int:
    """List the presets (id, mode, title)."""
    from glassnet.presets import list_presets

    presets = list_presets()
    if args.json:
        print(json.dumps(presets, indent=1))
        return 0
    width = max(len(p["id"]) for p in presets)
    for p in presets:
        print(f"{p['id']:<{width}}  {p['mode']:<8}  {p['title']}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """Start the web server (REST, websocket, the app at /)."""
    from glassnet.api.serve import serve

    serve(host=args.host, port=args.port)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="glassnet", description="A glass-box neural-network playground."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    serve = sub.add_parser("serve", help="start the server (default http://127.0.0.1:8000)")
    serve.add_argument("--host", default=None, help="address to bind (GLASSNET_HOST)")
    serve.add_argument("--port", type=int, default=None, help="port (GLASSNET_PORT)")
    serve.set_defaults(func=cmd_serve)

    run = sub.add_parser("run", help="train a RunSpec headless and write the results as JSON")
    run.add_argument("spec", help="RunSpec JSON file, a preset file, or preset:ID")
    run.add_argument("-o", "--out", help="write the JSON here instead of stdout")
    run.add_argument("--epochs", type=int, help="override training.epochs")
    run.add_argument("--steps", type=int, help="stop after this many iterations")
    run.add_argument("--compact", action="store_true", help="one-line JSON")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    run.set_defaults(func=cmd_run)

    presets = sub.add_parser("presets", help="list the lecture presets")
    presets.add_argument("--json", action="store_true", help="as JSON")
    presets.set_defaults(func=cmd_presets)
    return parser


def main(argv: list[str] | None = None) -> int:
    # numpy only ever multiplies small matrices here (the lean path is chosen for small nets),
    # where BLAS threads cost more than they save: measured 4× slower per product when the
    # other core is busy. Must be set before numpy is first imported.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code


if __name__ == "__main__":
    raise SystemExit(main())
