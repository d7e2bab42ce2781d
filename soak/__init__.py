"""The reliability soak: a seeded workload delivered with duplicates, reordering and injected
faults, compared with a clean in-order run (`python -m soak`, `make soak`)."""
