"""Operator commands: ``python -m app.cli seed`` and ``python -m app.cli openapi [PATH]``."""

import argparse
import asyncio
import json
from pathlib import Path

from app.core.config import get_settings
from app.core.db import create_engine, create_sessionmaker
from app.main import create_app
from app.seed import load_seed_data

DEFAULT_OPENAPI_PATH = Path("openapi/openapi.json")


async def seed() -> None:
    engine = create_engine(get_settings())
    try:
        async with create_sessionmaker(engine).begin() as session:
            await load_seed_data(session)
    finally:
        await engine.dispose()


def render_openapi() -> str:
    return json.dumps(create_app().openapi(), ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m app.cli")
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("seed", help="load agencies, catalog, reference data and help (idempotent)")
    export = commands.add_parser("openapi", help="write the OpenAPI document")
    export.add_argument("path", nargs="?", type=Path, default=DEFAULT_OPENAPI_PATH)
    args = parser.parse_args(argv)

    if args.command == "seed":
        asyncio.run(seed())
    elif args.command == "openapi":
        args.path.parent.mkdir(parents=True, exist_ok=True)
        args.path.write_text(render_openapi(), encoding="utf-8")


if __name__ == "__main__":
    main()
