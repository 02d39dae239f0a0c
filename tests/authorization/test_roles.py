"""Roles are declared once: each role alias in app/auth/deps.py, and the side of an application
(办件) a role acts on in one table next to the roles (app.core.auth.ACTOR_OF_ROLE)."""

import ast
from pathlib import Path

import app as app_package
from app.applications.state_machine import TRANSITIONS, Actor
from app.auth.deps import Applicant, ShipOwner, Staff
from app.core.auth import ACTOR_OF_ROLE, Role

APP_DIR = Path(app_package.__file__).parent


def _admitted(alias) -> set[str]:
    (security,) = alias.__metadata__
    return set(security.scopes)


def test_the_applicant_and_staff_aliases_admit_exactly_the_roles_acting_on_that_side():
    assert _admitted(Applicant) == {role for role, actor in ACTOR_OF_ROLE.items() if actor is Actor.applicant}
    assert _admitted(Staff) == {role for role, actor in ACTOR_OF_ROLE.items() if actor is Actor.staff}
    assert _admitted(Applicant) == {Role.personal, Role.corporate}
    assert _admitted(Staff) == {Role.staff}


def test_only_an_applicant_role_owns_ships():
    assert _admitted(ShipOwner) <= _admitted(Applicant)


def test_every_side_of_the_state_machine_is_taken_by_some_role():
    assert {transition.actor for transition in TRANSITIONS} == set(ACTOR_OF_ROLE.values())


def test_officers_and_administrators_take_no_part_in_applications():
    assert set(ACTOR_OF_ROLE) == {Role.personal, Role.corporate, Role.staff}


def _calls(path: Path, names: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f"{path.relative_to(APP_DIR.parent)}:{node.lineno}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name | ast.Attribute)
        and (node.func.id if isinstance(node.func, ast.Name) else node.func.attr) in names
    ]


def test_role_aliases_are_declared_only_in_app_auth_deps():
    declared_elsewhere = [
        where
        for path in sorted(APP_DIR.rglob("*.py"))
        if path != APP_DIR / "auth" / "deps.py"
        for where in _calls(path, {"require_roles", "Security"})
    ]

    assert declared_elsewhere == []
