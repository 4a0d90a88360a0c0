# Benchmarks: tests/bench (issue 5).
bench-build:
