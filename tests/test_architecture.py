"""The layers of app/ hold (docs/architecture.md): the import-linter contracts in pyproject.toml.

They fail on a new import circle between two packages of app/, a package importing one above
it (app.core or app.integrations importing a domain, a domain importing app.me …), and any
module but the composition root (app.api, app.main) importing a router.
"""

from pathlib import Path

import grimp
from importlinter import configuration
from importlinter.application.use_cases import lint_imports

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "pyproject.toml"
# As listed in the "routers-at-the-edge" contract.
PROTECTED_ROUTER_NAMES = {"router", "audit_router", "privacy_router", "public_router", "staff_router"}


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
