"""The load test behind `make load` (`python -m load`): see docs/load.md."""
