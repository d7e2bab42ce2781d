"""The soak section of BENCHMARKS.md: `make soak` rewrites it, `make bench` keeps it."""
from __future__ import annotations

from soak.report import BENCH_TITLE, kept_section, splice

BENCH = "# Benchmarks\n\n## f. Simulator\n\nfast\n"
SECTION = f"{BENCH_TITLE}\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"


def test_a_soak_section_is_appended_once_then_replaced():
    once = splice(BENCH, SECTION)
    assert once == BENCH + "\n" + SECTION
    newer = SECTION.replace("| 1 | 2 |", "| 3 | 4 |")
    assert splice(once, newer) == BENCH + "\n" + newer


def test_the_section_is_kept_up_to_the_next_heading_only():
    document = BENCH + "\n" + SECTION + "\n## Later\n\nother\n"
    assert kept_section(document) == SECTION
    assert splice(document, SECTION.replace("1", "9")).endswith("\n## Later\n\nother\n")


def test_a_document_without_the_section_keeps_nothing():
    assert kept_section(BENCH) == ""
