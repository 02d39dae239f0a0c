"""The layers of app/ hold (docs/architecture.md): the import-linter contracts in pyproject.toml.

They fail on a new import circle between two packages of app/, a package importing one above
it (app.core or app.integrations importing a domain, a domain importing app.me …), and any
module but the composition root (app.api, app.main) importing a router.
"""

import re
from pathlib import Path

import grimp
import pytest
from importlinter import configuration
from importlinter.application.use_cases import lint_imports

from app.api import API_PREFIX, DOMAIN_ROUTERS, wire_domains
from app.applications import privacy as applications_privacy
from app.auth import events
from app.certificates import hooks as certificates_hooks
from app.me.schemas import DataExport
from app.messages import hooks as messages_hooks
from app.privacy import registry

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"
# As listed in the "routers-at-the-edge" contract.
PROTECTED_ROUTER_NAMES = {
    "router",
    "audit_router",
    "privacy_router",
    "public_router",
    "staff_router",
    # Integrators (issue 17): the token endpoint, client registration, pushed certificates,
    # the back office's applications, webhook subscriptions.
    "oauth_router",
    "clients_router",
    "agency_candidates_router",
    "registry_router",
    "backoffice_router",
    "webhooks_router",
    "dataset_router",  # 数据维护与发布 (issue 19)
}


def test_the_packages_keep_their_layers(capsys):
    configuration.configure()  # what the lint-imports command does first
    kept = lint_imports(str(CONFIG), no_logo=True, cache_dir=None)
    report = capsys.readouterr().out
    assert kept, report


def test_every_router_module_is_protected_from_imports():
    # import-linter's module expressions have no partial wildcards: a new `*_router.py` must be
    # added to the contract, or other modules could import it unnoticed.
    graph = grimp.build_graph("app", cache_dir=None)
    routers = {m for m in graph.modules if m.rsplit(".", 1)[-1].endswith("router")}
    unlisted = sorted(m for m in routers if m.rsplit(".", 1)[-1] not in PROTECTED_ROUTER_NAMES)
    assert routers and not unlisted, f"add these to the routers-at-the-edge contract: {unlisted}"


# The wiring through which lower packages reach the domains above them (app.api.wire_domains).


def test_every_section_of_the_data_export_has_its_domains_exporter():
    wire_domains()
    own = {"exported_at", "format_version", "profile", "consents", "account_events"}  # privacy's
    assert set(DataExport.model_fields) - own == set(registry.registered().exporters)


def test_wiring_twice_subscribes_each_domain_once():
    wire_domains()
    wire_domains()  # create_app runs it for every app a process builds
    assert events._subscribers.person_registered == [certificates_hooks.person_registered]
    assert events._subscribers.wechat_bound == [messages_hooks.wechat_bound]
    assert registry.registered().deletion_checks == [applications_privacy.refuse_while_in_progress]


async def test_a_process_that_never_wired_the_domains_fails_loudly_instead_of_skipping_them(monkeypatch):
    # A registering seafarer would silently get no certificates, a closed account keep its ships.
    monkeypatch.setattr(events, "_subscribers", events._Subscribers())
    monkeypatch.setattr(registry, "_registry", registry._Registry())
    with pytest.raises(events.NotWired):
        await events.person_registered(None)
    with pytest.raises(events.NotWired):
        events.wechat_bound(None)
    with pytest.raises(registry.NotWired):
        registry.registered()


def test_the_routers_order_decides_no_request():
    """The domain routers are included in the order requests arrive (app.api): that is safe only
    while no request path could reach a route of two routers. Each route's path, filled in,
    matches no route of another router for the same method."""
    routes = [(index, route) for index, router in enumerate(DOMAIN_ROUTERS) for route in router.routes]
    for index, route in routes:
        path = API_PREFIX + re.sub(r"\{[^}]+\}", "sample-1", route.path)
        claimants = [
            (other_index, other.path)
            for other_index, other in routes
            if other_index != index
            and other.methods & route.methods
            and re.fullmatch(_path_pattern(API_PREFIX + other.path), path)
        ]
        assert not claimants, f"{route.path} is also reached through {claimants}"


def _path_pattern(template: str) -> str:
    return re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
