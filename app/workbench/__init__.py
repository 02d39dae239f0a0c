"""受理审批工作台: the staff's browser app, built from workbench/ into ``static/`` and served at
/workbench/ as a history-mode single-page app (any path that is not a file is the app's page)."""

import html
from pathlib import Path

from fastapi import FastAPI
from starlette.exceptions import HTTPException
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

from app.core.config import Settings

STATIC_DIR = Path(__file__).resolve().parent / "static"
PREFIX = "/workbench"
NOT_BUILT = "受理审批工作台尚未构建：请用 make run 启动（首次启动时构建），或在 workbench/ 中运行 npm run build。"
# The settings the page needs before it can ask anything, placed where index.html leaves a mark.
SETTINGS_MARK = '<meta name="msa-settings" content="">'


class _Workbench(StaticFiles):
    """Files of the build; every other path is the page (the app routes it in the browser)."""

    def __init__(self, settings: Settings) -> None:
        super().__init__(directory=STATIC_DIR, check_dir=False)
        self._settings = settings
        self._page: str | None = None

    async def get_response(self, path: str, scope: Scope) -> Response:
        if not (STATIC_DIR / "index.html").is_file():
            return HTMLResponse(f"<p>{NOT_BUILT}</p>", status_code=503)
        if path not in ("", ".", "index.html"):
            try:
                response = await super().get_response(path, scope)
            except HTTPException as missing:
                if missing.status_code != 404 or path.startswith("assets/"):
                    raise
            else:
                if path.startswith("assets/"):  # content-hashed names: never change
                    response.headers["cache-control"] = "public, max-age=31536000, immutable"
                return response
        return HTMLResponse(self._index(), headers={"cache-control": "no-cache"})

    def _index(self) -> str:
        if self._page is None:
            idle = int(self._settings.session_idle_timeout.total_seconds())
            marked = f'<meta name="msa-settings" content="{html.escape(f"idle_timeout={idle}")}">'
            self._page = (STATIC_DIR / "index.html").read_text(encoding="utf-8").replace(SETTINGS_MARK, marked)
        return self._page


def mount_workbench(app: FastAPI, settings: Settings) -> None:
    app.mount(PREFIX, _Workbench(settings), name="workbench")
