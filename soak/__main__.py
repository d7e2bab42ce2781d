"""`python -m soak [--deliveries N] [--seed S] [--moto M]`: run the soak, print and write soak/RESULTS.md.

Exits 1 if anything was lost, doubled, left unscheduled or orphaned, or differs unexplained.
"""
from __future__ import annotations

import argparse
import sys
from datetime import datetime, timezone
from pathlib import Path

from . import notices
from .report import bench_section, markdown, splice
from .session import Settings, run

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
BENCHMARKS = RESULTS.parents[1] / "BENCHMARKS.md"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m soak", description=__doc__.splitlines()[0])
    parser.add_argument("--deliveries", type=int, default=10_000, help="webhook deliveries (default 10,000)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--moto", type=int, default=1_000, metavar="M",
                        help="deliveries of the smaller run on moto DynamoDB + Scheduler (0: skip)")
    parser.add_argument("--notices", type=int, default=300, metavar="T",
                        help="tickets of the outbound-notice soak (soak/notices.py; 0: skip)")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--benchmarks", type=Path, default=BENCHMARKS,
                        help="its soak section is rewritten with the new table")
    args = parser.parse_args(argv)

    results = [run(Settings(deliveries=args.deliveries, seed=args.seed))]
    if args.moto:
        results.append(run(Settings(deliveries=args.moto, seed=args.seed, backend="moto", round_hours=6,
                                    audit_every=2)))
    command = f"python -m soak --deliveries {args.deliveries} --seed {args.seed} --moto {args.moto}"
    when = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = markdown(results, command, when)
    args.output.write_text(text)
    if args.benchmarks.exists():
        section = bench_section(results, command, when)
        args.benchmarks.write_text(splice(args.benchmarks.read_text(encoding="utf-8"), section),
                                   encoding="utf-8")
    print(text)
    notices_ok = not args.notices or notices.measure_and_write(args.notices, args.seed, args.benchmarks)
    return 0 if all(r.ok for r in results) and notices_ok else 1


if __name__ == "__main__":
    sys.exit(main())
