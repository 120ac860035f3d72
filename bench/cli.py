"""What `python -m bench` and `python -m load` do first: they run outside manage.py, so they set
Django up themselves before their parsers and harnesses reach the models."""

import argparse
import dataclasses
import os
from collections.abc import Callable

import django


def set_up_and_parse(parser: Callable[[], argparse.ArgumentParser], args: list[str]) -> dict:
    """Sets Django up (with the project's settings unless DJANGO_SETTINGS_MODULE names others,
    as in the benchmark's environment) and parses the arguments."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "coordination.settings")
    django.setup()
    return vars(parser().parse_args(args))


def harness_options(options_class: type, arguments: dict):
    """A harness's Options from its parsed arguments: `scale` from the data set's arguments, each
    other field from the argument of its name."""
    from reviews.sample_data.synthetic import Scale

    fields = [field.name for field in dataclasses.fields(options_class) if field.name != "scale"]
    return options_class(
        scale=Scale.from_arguments(arguments), **{name: arguments[name] for name in fields}
    )
