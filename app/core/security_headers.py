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


class SecurityHeaders:
    """The headers for a path, computed once per kind of path rather than per response."""

    def __init__(self, *, hsts: bool) -> None:
        common = (*_COMMON, *(_HSTS if hsts else ()))
        self._api = (*common, (b"content-security-policy", _API_POLICY))
        self._docs = (*common, (b"content-security-policy", _DOCS_POLICY))

    def for_path(self, path: str) -> tuple[tuple[bytes, bytes], ...]:
        return self._docs if path.startswith(_DOCS_PATHS) else self._api
