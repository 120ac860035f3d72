"""The national-scale benchmark behind `make bench` (`python -m bench`): see docs/benchmarks.md."""
