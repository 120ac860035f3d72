"""The house's rules, kept by reading every module's imports: the three apps depend one way only
(coordination ← enterprises ← reviews), no app imports the bench or load harnesses, and no module
of the apps grows past 600 lines."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("coordination", "enterprises", "reviews")
ALLOWED = {
    "coordination": set(),
    "enterprises": {"coordination"},
    "reviews": {"coordination", "enterprises"},
}
HARNESSES = {"bench", "load"}
MAX_LINES = 600


def modules(app: str) -> list[Path]:
    return [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]


def imported_packages(path: Path) -> set[str]:
    """The top-level packages a module imports, at module level or inside functions."""
    packages = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            packages |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            packages.add(node.module.split(".")[0])
    return packages


@pytest.mark.parametrize("app", APPS)
def test_an_app_imports_only_the_apps_below_it(app):
    others = set(APPS) - {app}
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & (others - ALLOWED[app]))
        for path in modules(app)
    }
    assert {path: found for path, found in wrong.items() if found} == {}


@pytest.mark.parametrize("app", APPS)
def test_no_app_imports_a_harness(app):
    wrong = {
        str(path.relative_to(ROOT)): sorted(imported_packages(path) & HARNESSES)
        for path in modules(app)
    }
    assert {path: found for path, found in wrong.items() if found} == {}


def test_selectors_and_services_of_an_app_do_not_import_each_other():
    """Reads and writes stay apart: a service may read through a selector, never the reverse."""
    wrong = []
    for app in APPS:
        for path in modules(app):
            if "selectors" not in path.parts and path.stem != "selectors":
                continue
            source = path.read_text()
            if ".services" in source or f"{app}.services" in source:
                wrong.append(str(path.relative_to(ROOT)))
    assert wrong == []


def test_no_module_of_the_apps_is_over_600_lines():
    long = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in modules(app)
        if (lines := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert long == {}


def test_an_upward_import_is_seen_wherever_it_stands(tmp_path):
    """The checks read real imports, also those inside functions (as in AppConfig.ready)."""
    module = tmp_path / "module.py"
    module.write_text(
        "import coordination.models\n"
        "def later():\n"
        "    from reviews.selectors import returns\n"
        "    from . import sibling\n"
    )
    assert imported_packages(module) == {"coordination", "reviews"}
