"""Response headers that keep browsers from doing what this API never needs."""

_COMMON = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=()"),
)
_HSTS = ((b"strict-transport-security", b"max-age=31536000"),)
# JSON and files: nothing may run or load from them.
_API_POLICY = b"default-src 'none'; frame-ancestors 'none'"
# Swagger UI and ReDoc: their own assets only; their bootstrap scripts are inline, ReDoc uses a worker.
_DOCS_POLICY = (
    b"default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    b"img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'"
)
_DOCS_PATHS = ("/docs", "/redoc")
# 受理审批工作台: its own bundled scripts only, never inline ones. TDesign writes <style> elements
# (the scroll lock of its dialogs, popup positions), so styles may be inline; nothing comes from
# elsewhere. Materials and notices it fetched itself are shown from blob: URLs (images, PDF frames).
_WORKBENCH_POLICY = (
    b"default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; "
    b"connect-src 'self'; frame-src blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_WORKBENCH_PATH = "/workbench"


class SecurityHeaders:
    """The headers for a path, computed once per kind of path rather than per response."""

    def __init__(self, *, hsts: bool) -> None:
        common = (*_COMMON, *(_HSTS if hsts else ()))
        self._api = (*common, (b"content-security-policy", _API_POLICY))
        self._docs = (*common, (b"content-security-policy", _DOCS_POLICY))
        self._workbench = (*common, (b"content-security-policy", _WORKBENCH_POLICY))

    def for_path(self, path: str) -> tuple[tuple[bytes, bytes], ...]:
        if path == _WORKBENCH_PATH or path.startswith(f"{_WORKBENCH_PATH}/"):
            return self._workbench
        return self._docs if path.startswith(_DOCS_PATHS) else self._api
