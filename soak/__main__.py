"""`python -m soak [--deliveries N] [--seed S] [--moto M]`: run the soak, print and write soak/RESULTS.md.

Exits 1 if anything was lost, doubled, left unscheduled or orphaned, or differs unexplained.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .report import markdown
from .session import Settings, run

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m soak", description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=10_000, help="webhook deliveries (default 10,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--moto", type=int, default=1_000, metavar="M",
                        help="deliveries of the smaller run on moto DynamoDB + Scheduler (0: skip)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args(argv)

    results = [run(Settings(deliveries=args.deliveries, seed=args.seed))]
    if args.moto:
        results.append(run(Settings(deliveries=args.moto, seed=args.seed, backend="moto", round_hours=6,
                                    audit_every=2)))
    command = f"python -m soak --deliveries {args.deliveries} --seed {args.seed} --moto {args.moto}"
    text = markdown(results, command)
    args.output.write_text(text)
    print(text)
    return 0 if all(r.ok for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
