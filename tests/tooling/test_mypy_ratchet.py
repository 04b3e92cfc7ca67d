"""The mypy ratchet list only shrinks: the script fails on errors outside the list and on a listed
module that has become clean, and ``--write`` lists exactly the modules with errors."""

import importlib.util
import sys
from collections import Counter
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "mypy_ratchet.py"
spec = importlib.util.spec_from_file_location("mypy_ratchet", SCRIPT)
ratchet = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ratchet)

PYPROJECT = """[tool.mypy]
packages = ["grants"]

# mypy ratchet: begin
[[tool.mypy.overrides]]
module = [
    "grants.forms.applicant",
    "grants.views.casework.file",
]
ignore_errors = true
# mypy ratchet: end
"""
OUTPUT = (
    'grants/forms/applicant.py:50: error: "Field" has no attribute "queryset"  [attr-defined]\n'
    "grants/forms/applicant.py:51: note: See https://mypy.readthedocs.io\n"
)


@pytest.fixture
def project(tmp_path, monkeypatch):
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text(PYPROJECT)
    monkeypatch.setattr(ratchet, "PYPROJECT", pyproject)
    return pyproject


def run(monkeypatch, output: str, *args: str) -> int:
    counts = Counter(ratchet.module_of(m["path"]) for m in ratchet.ERROR.finditer(output))
    monkeypatch.setattr(ratchet, "errors_per_module", lambda text: (counts, output))
    monkeypatch.setattr(sys, "argv", ["mypy_ratchet.py", *args])
    return ratchet.main()


def test_it_names_modules_and_packages():
    assert ratchet.module_of("grants/views/casework/file.py") == "grants.views.casework.file"
    assert ratchet.module_of("grants/models/__init__.py") == "grants.models"


def test_it_fails_when_a_listed_module_has_become_clean(project, monkeypatch, capsys):
    assert run(monkeypatch, OUTPUT) == 1
    assert "grants.views.casework.file" in capsys.readouterr().out


def test_it_fails_on_an_error_in_a_module_not_on_the_list(project, monkeypatch, capsys):
    output = OUTPUT + 'core/money.py:3: error: Name "x" is not defined  [name-defined]\n'
    project.write_text(PYPROJECT.replace('    "grants.views.casework.file",\n', ""))

    assert run(monkeypatch, output) == 1
    assert "core/money.py:3" in capsys.readouterr().out


def test_it_passes_when_the_list_names_exactly_the_modules_with_errors(project, monkeypatch):
    project.write_text(PYPROJECT.replace('    "grants.views.casework.file",\n', ""))

    assert run(monkeypatch, OUTPUT) == 0


def test_write_lists_exactly_the_modules_with_errors(project, monkeypatch):
    assert run(monkeypatch, OUTPUT, "--write") == 0

    assert ratchet.listed_modules(project.read_text()) == ["grants.forms.applicant"]
    assert project.read_text().startswith('[tool.mypy]\npackages = ["grants"]\n')
    assert run(monkeypatch, OUTPUT) == 0


def test_write_leaves_no_override_when_every_module_is_clean(project, monkeypatch):
    assert run(monkeypatch, "", "--write") == 0

    assert "[[tool.mypy.overrides]]" not in project.read_text()
    assert ratchet.listed_modules(project.read_text()) == []
