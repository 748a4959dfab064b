"""Packaging: an installed wheel builds an issue from anywhere; dependencies are declared
exactly, locked, and the private interfaces relied on are pinned."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from conftest import ROOT
from pdfinspect import page_count

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~ \[;]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def _locked() -> dict[str, str]:
    lines = (ROOT / "requirements.lock").read_text(encoding="utf-8").splitlines()
    pins = [line.split("==") for line in lines if line and not line.startswith("#")]
    return {_name(name): version for name, version in pins}


def test_installed_wheel_builds_an_issue_from_any_folder(tmp_path) -> None:
    """pip install . (not editable) into a fresh environment, then `pamphlet build`."""
    wheels, env, elsewhere = tmp_path / "wheels", tmp_path / "env", tmp_path / "elsewhere"
    elsewhere.mkdir()
    pip = [sys.executable, "-m", "pip", "-q", "--disable-pip-version-check"]
    subprocess.run(
        [*pip, "wheel", "--no-deps", "--no-build-isolation", "-w", wheels, ROOT],
        check=True,
        capture_output=True,
    )
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", env], check=True)
    python = env / "bin" / "python"
    site = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    # The dependencies come from this environment (no download); the package from the wheel.
    deps = [p for p in sys.path if p.endswith("site-packages")]
    Path(site, "dependencies.pth").write_text("\n".join(deps) + "\n")
    wheel = next(wheels.glob("pamphlet-*.whl"))
    subprocess.run(
        [*pip, "--python", python, "install", "--no-deps", "--no-index", wheel], check=True
    )
    where = subprocess.run(
        [python, "-c", "import pamphlet; print(pamphlet.__file__)"],
        cwd=elsewhere,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert where.startswith(str(env)), where
    build = subprocess.run(
        [
            env / "bin" / "pamphlet",
            "build",
            ROOT / "content" / "shemot-5786",
            "-o",
            "out",
            "--quiet",
        ],
        cwd=elsewhere,
        capture_output=True,
        text=True,
        check=False,
    )
    assert build.returncode == 0, build.stderr
    pdf = elsewhere / build.stdout.splitlines()[0]
    assert pdf.parent == elsewhere / "out" and page_count(pdf) == 16
    version = subprocess.run(
        [env / "bin" / "pamphlet", "--version"], capture_output=True, text=True, check=True
    )
    assert version.stdout.strip() == f"pamphlet {importlib.metadata.version('pamphlet')}"


def _imported_modules() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "pamphlet").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names |= {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module.split(".")[0])
    return {n for n in names if n not in sys.stdlib_module_names and n != "pamphlet"}


def test_every_import_is_declared_and_nothing_else() -> None:
    owners = importlib.metadata.packages_distributions()
    imported = {_name(owners[module][0]) for module in _imported_modules()}
    declared = {_name(r) for r in PYPROJECT["project"]["dependencies"]}
    assert imported == declared


def test_the_environment_has_the_locked_versions() -> None:
    locked = _locked()
    wanted = (
        PYPROJECT["project"]["dependencies"] + PYPROJECT["project"]["optional-dependencies"]["test"]
    )
    assert {_name(r) for r in wanted} <= set(locked)
    for name, version in locked.items():
        assert importlib.metadata.version(name) == version, name


# Embedding levels by the Unicode Bidirectional Algorithm (UAX #9, rules W7, N1, N2, I1,
# I2), worked by hand: L = Latin, R = Hebrew, EN = digits.
UBA_LEVELS = [
    ("abc אבג", "ltr", [0, 0, 0, 0, 1, 1, 1]),
    ("אבג abc", "rtl", [1, 1, 1, 1, 2, 2, 2]),
    ("abc 12 אבג", "ltr", [0, 0, 0, 0, 0, 0, 0, 1, 1, 1]),
    ("אבג 12", "rtl", [1, 1, 1, 1, 2, 2]),
    ("אבג 12", "ltr", [1, 1, 1, 1, 2, 2]),
]


@pytest.mark.parametrize("text, direction, levels", UBA_LEVELS)
def test_python_bidi_legacy_module_is_pinned(text, direction, levels) -> None:
    """direction.py computes levels with python-bidi's legacy module (`bidi.algorithm`),
    which is not public API: an upgrade that moves or changes it must fail here first."""
    from pamphlet.direction import embedding_levels

    assert importlib.metadata.version("python-bidi") == _locked()["python-bidi"]
    assert embedding_levels(text, direction) == levels


def test_the_private_interfaces_relied_on_are_there() -> None:
    """Where WeasyPrint and pypdf offer no public way, the code uses a private one (each
    named in its module's docstring or at its use): an upgrade that changes one fails
    here first, not in a subtle way in a build."""
    import inspect

    from pypdf import PdfReader, PdfWriter
    from weasyprint import HTML
    from weasyprint.formatting_structure import boxes
    from weasyprint.pdf import tags

    # press/reader.py: structure elements get their element's language while writing
    parameters = list(inspect.signature(tags._build_box_tree).parameters)
    assert parameters == ["box", "parent", "pdf", "page_number", "nums", "annotations", "tags"]
    # pdf/budget.py, pdf/overflow.py: a page's lines, from its box tree
    page = HTML(string="<p>x</p>").render().pages[0]
    assert isinstance(page._page_box, boxes.PageBox)
    # press/impose.py: objects read one at a time, and a loose stream added
    assert callable(PdfReader._get_object_from_stream) and callable(PdfWriter._add_object)
