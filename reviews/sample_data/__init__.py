"""Sample data: the demo of `manage.py load_demo` (demo/) and the synthetic national-scale data
set of `manage.py generate_data`, which the benchmark and load harnesses use (synthetic/)."""
