"""docs/lifecycle.md is generated from the lifecycle transitions and must stay in step."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.utils import translation

from grants.management.commands.lifecycle_docs import LIFECYCLES, render
from grants.models import Application, Decision, Payout

FIX = "Run `python manage.py lifecycle_docs`"


@pytest.fixture(scope="module")
def generated() -> str:
    return render()[""]


def section(text: str, title: str) -> str:
    start = text.index(f"## {title}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def mermaid(text: str) -> str:
    match = re.search(r"```mermaid\n(.*?)```", text, re.S)
    assert match, "no Mermaid block"
    return match.group(1)


def test_committed_file_is_up_to_date():
    # When this fails after a model change: run `python manage.py lifecycle_docs` and commit.
    call_command("lifecycle_docs", "--check")


def test_check_fails_when_a_file_was_changed(tmp_path: Path):
    output = tmp_path / "lifecycle.md"
    call_command("lifecycle_docs", "--output", str(output))
    call_command("lifecycle_docs", "--check", "--output", str(output))

    original = output.read_text(encoding="utf-8")
    output.write_text(original.replace("| `submit` |", "| `einreichen` |"), encoding="utf-8")
    with pytest.raises(CommandError, match=re.escape(FIX)) as refused:
        call_command("lifecycle_docs", "--check", "--output", str(output))
    assert "lifecycle.md is out of date" in str(refused.value)
    assert "`einreichen`" in str(refused.value)  # the diff shows what differs

    output.write_text(original, encoding="utf-8")
    (tmp_path / "lifecycle-payout.dot").unlink()
    with pytest.raises(CommandError, match=re.escape("lifecycle-payout.dot is missing")):
        call_command("lifecycle_docs", "--check", "--output", str(output))


def test_writing_twice_gives_the_same_files(tmp_path: Path):
    first, second = tmp_path / "a" / "lifecycle.md", tmp_path / "b" / "lifecycle.md"
    call_command("lifecycle_docs", "--output", str(first))
    with translation.override("en"):  # the output is German labels whatever is active
        call_command("lifecycle_docs", "--output", str(second))
    for name in ("lifecycle.md", *(f"lifecycle-{lc.key}.dot" for lc in LIFECYCLES)):
        assert (first.parent / name).read_bytes() == (second.parent / name).read_bytes()


@pytest.mark.parametrize("lifecycle", LIFECYCLES, ids=lambda lc: lc.key)
def test_every_transition_and_state_is_documented(generated: str, lifecycle):
    model = lifecycle.model
    field = model._meta.get_field("state")
    text = section(generated, lifecycle.title)
    diagram = mermaid(text)

    names = {t.name for t in field.get_all_transitions(model)}
    assert names
    for name in names:
        assert f"| `{name}` |" in text, f"{name} has no row in the table"
        assert f": {name}\n" in diagram, f"{name} has no edge in the diagram"

    for value, _label in field.choices:
        assert re.search(rf"\b{value}\b", diagram), f"state {value} missing from the diagram"
        assert f"| `{value}` |" in text, f"state {value} missing from the state table"


def test_diagram_shows_start_end_and_self_loops(generated: str):
    diagram = mermaid(section(generated, "Application (Antrag)"))
    assert diagram.startswith("stateDiagram-v2\n")
    assert "    [*] --> draft\n" in diagram
    for terminal in ("rejected", "withdrawn", "closed"):
        assert f"    {terminal} --> [*]\n" in diagram
    assert "    approved --> [*]\n" not in diagram
    assert "    running --> running : extend_proof_deadline\n" in diagram
    assert "    voted --> decision_proposed : propose_rejection\n" in diagram

    payout = mermaid(section(generated, "Payout (Auszahlung)"))
    assert "    [*] --> planned : plan\n" in payout
    assert "    [*] --> requested : request\n" in payout


def test_transitions_are_listed_in_declaration_order(generated: str):
    rows = re.findall(r"^\| `(\w+)` \| `", section(generated, "Application (Antrag)"), re.M)
    declared = [name for name in vars(Application) if name in set(rows)]
    assert rows == declared
    assert rows[:3] == ["submit", "request_changes", "resubmit"]


def test_conditions_and_permissions_are_spelled_out(generated: str):
    submit = Application.submit._django_fsm.get_transition("draft")
    assert len(submit.conditions) > 3
    row = next(line for line in generated.splitlines() if line.startswith("| `submit` |"))
    with translation.override("de"):
        for condition in submit.conditions:
            assert str(condition.message) in row
            assert f"`{condition.check.__name__}`" in row
        assert "Antragsteller\\*in" in row
    assert "System (Fristenlauf)" in generated
    assert "nicht die vorschlagende Person (Vier-Augen-Prinzip)" in generated
    assert "Bewilligt – Mittel können abgerufen werden" in generated  # applicant label


def test_intro_names_constraints_that_exist(generated: str):
    constraints = {c.name for m in (Decision, Payout) for c in m._meta.constraints}
    for name in ("decision_four_eyes", "payout_four_eyes"):
        assert name in constraints
        assert f"`{name}`" in generated


def test_creation_steps_match_what_the_services_record():
    """The note lists the steps services record outside django-fsm (``record(...)``)."""
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(Path(settings.BASE_DIR, "grants", "services").glob("*.py"))
    )
    recorded = {
        keyword.value.value
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "record"
        for keyword in node.keywords
        if keyword.arg == "transition" and isinstance(keyword.value, ast.Constant)
    }
    documented = {step.name for lc in LIFECYCLES for step in lc.creation_steps}
    assert recorded == documented
    services = {step.service for lc in LIFECYCLES for step in lc.creation_steps}
    assert all(f"def {name}(" in source for name in services)
