"""One TLS context for the test process's HTTP clients.

Each app a test creates builds an ``httpx.AsyncClient`` for WeChat (app/integrations/factory.py),
and each new client loads certifi's whole CA bundle into a new ``ssl.SSLContext``: tens of
milliseconds on an idle machine, several tenths of a second on a busy one, for every test that
uses ``client``. The default context (verify against certifi, no client certificate) is the same
every time and ``ssl.SSLContext`` is meant to be shared, so in the test process clients asking for
it share one. Any other ``verify``/``cert`` is built as httpx builds it.
"""

import ssl

from httpx._transports import default as transports

_build = transports.create_ssl_context
_shared: dict[bool, ssl.SSLContext] = {}


def share_the_default_tls_context() -> None:
    def create_ssl_context(verify=True, cert=None, trust_env=True) -> ssl.SSLContext:
        if verify is not True or cert is not None:
            return _build(verify=verify, cert=cert, trust_env=trust_env)
        if trust_env not in _shared:
            _shared[trust_env] = _build(verify=verify, cert=cert, trust_env=trust_env)
        return _shared[trust_env]

    transports.create_ssl_context = create_ssl_context
