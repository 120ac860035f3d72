"""The national-scale benchmark behind `make bench` (`manage.py bench`): see docs/benchmarks.md."""
