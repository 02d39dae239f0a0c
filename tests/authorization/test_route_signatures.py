"""A route that forgets its check cannot hide it: every id in a path is read by a dependency
that loads the object and authenticates the caller (``application: OwnedApplication``,
``correction: StaffCorrection`` …), never by the route itself.

So the check shows in the route's signature, and this test walks every route of the app to
make sure it is there. Public lookups, which show the same thing to anyone, are listed with
the reason they need no owner.
"""

import inspect
import re
from typing import Annotated

from fastapi import Depends, FastAPI, Path
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts

from app.applications.deps import OwnedApplication
from app.applications.models import Application
from app.auth.deps import Applicant, _client, _principal
from app.core.db import Base, ReadRow
from app.main import create_app
from tests.support.database import settings_for_tests

APP = "/api/v1"

# Path parameters that name no one's object: anyone (signed in or not) sees the same thing.
PUBLIC_LOOKUPS = {
    f"GET {APP}/agencies/{{code}}": "海事机构 are a public directory",
    f"GET {APP}/catalog/items/{{code}}": "the 办事指南 of an item is public",
    f"GET {APP}/catalog/items/{{code}}/agencies": "which units handle an item is public (the agency picker)",
    f"GET {APP}/help/articles/{{article_id}}": "help articles are public",
    f"DELETE {APP}/me/consents/{{purpose}}": "a purpose (a fixed enum), not an object: "
    "the caller withdraws their own consent",
}


# Path parameters that are a key the caller chooses: the object may not exist yet.
CALLERS_KEYS = {
    f"PUT {APP}/registry/certificates/{{registry_id}}": "the registry's own id of a certificate it "
    "creates or updates (any registry client, scope certificates:write)",
    f"PUT {APP}/admin/dataset/draft/files/{{file}}/records/{{key}}": "a file of the dataset (a fixed "
    "enum) and the key of the record the system administrator adds or replaces in the one draft",
    f"GET {APP}/admin/dataset/draft/files/{{file}}": "a file of the dataset (a fixed enum) in the "
    "one draft, the system administrator's alone",
    f"DELETE {APP}/admin/dataset/draft/files/{{file}}/records/{{key}}": "a record of the one draft "
    "(JSON in the draft, no row of its own), the system administrator's alone",
}


def _subtree(dependant: Dependant):
    yield dependant
    for child in dependant.dependencies:
        yield from _subtree(child)


def _authenticates(dependant: Dependant) -> bool:
    return any(node.call in (_principal, _client) for node in _subtree(dependant))


def _loads_a_row(dependant: Dependant) -> bool:
    """An ORM object, or a plain row for a route that only shows it (``OwnedApplicationRow``)."""
    returned = inspect.signature(dependant.call).return_annotation
    return inspect.isclass(returned) and issubclass(returned, (Base, ReadRow))


def unchecked_path_parameters(route: APIRoute) -> set[str]:
    """Path parameters of ``route`` not read by a load-and-authorize dependency: one that
    returns a database row and has the authentication dependency in its own tree."""
    wanted = set(re.findall(r"{(\w+)", route.path))
    checked = {
        field.name
        for node in _subtree(route.dependant)
        if node is not route.dependant and node.call is not None
        if _loads_a_row(node) and _authenticates(node)
        for field in node.path_params
    }
    return wanted - checked


def _routes_with_ids(app: FastAPI) -> dict[str, APIRoute]:
    return {
        f"{method} {context.path_format}": context.original_route
        for context in iter_route_contexts(app.routes)
        if isinstance(context.original_route, APIRoute) and "{" in context.path_format
        for method in context.methods - {"HEAD"}
    }


def test_every_id_in_a_path_is_read_by_a_dependency_that_loads_and_checks_the_object(tmp_path):
    app = create_app(settings_for_tests("sqlite+aiosqlite:///unused.sqlite3", tmp_path))
    routes = _routes_with_ids(app)

    unchecked = {
        route: sorted(unchecked_path_parameters(api_route))
        for route, api_route in routes.items()
        if route not in PUBLIC_LOOKUPS | CALLERS_KEYS and unchecked_path_parameters(api_route)
    }

    assert unchecked == {}
    assert set(PUBLIC_LOOKUPS) <= set(routes), "a public lookup listed here is no longer served"


def test_a_route_reading_the_id_itself_or_loading_without_the_caller_is_caught():
    """The guard above can fail: a route that takes the id and loads the object by hand, or
    a dependency that loads it without knowing who asks."""
    app = FastAPI()

    async def anyones(application_id: Annotated[str, Path()]) -> Application:
        raise NotImplementedError  # never called

    @app.get("/applications/{application_id}")
    async def by_hand(application_id: Annotated[str, Path()], principal: Applicant) -> None:
        raise NotImplementedError

    @app.get("/applications/{application_id}/notices")
    async def unchecked(application: Annotated[Application, Depends(anyones)], principal: Applicant) -> None:
        raise NotImplementedError

    @app.get("/applications/{application_id}/evaluation")
    async def checked(application: OwnedApplication) -> None:
        raise NotImplementedError

    routes = {route.name: route for route in app.routes if isinstance(route, APIRoute)}

    assert {name: unchecked_path_parameters(route) for name, route in routes.items()} == {
        "by_hand": {"application_id"},
        "unchecked": {"application_id"},
        "checked": set(),
    }
