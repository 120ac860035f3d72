"""The load test behind `make load` (`manage.py load`): see docs/load.md."""
