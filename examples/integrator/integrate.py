"""An integrator's round trip with the generated client (docs/integrators.md).

The certificate registry of 上海海事局 takes a token by client credentials, subscribes a webhook
consumer, pushes one certificate and bulk-loads two more (NDJSON), receives the signed
``certificate.issued`` events on its own consumer and verifies their signatures with
``standardwebhooks``, then polls the back office's application list.

    python examples/integrator/integrate.py --base-url http://127.0.0.1:8000 \\
        --client-id=… --client-secret=…   # a client with every scope, agency SH

(``=``: a secret is URL-safe Base64 and may begin with "-", which would read as an option.)

It needs the generated package ``msa_one_stop_client`` on the path (see docs/integrators.md) and a
server that may send webhooks to a local http:// address (WEBHOOK_ALLOW_HTTP and
WEBHOOK_ALLOW_PRIVATE_TARGETS: development only). It prints what it did, one line a step, and
exits non-zero if a step does not do what the contract says.
"""

import argparse
import json
import queue
import sys
import threading
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from msa_one_stop_client import AuthenticatedClient, Client
from msa_one_stop_client.api.backoffice import backoffice_list_applications
from msa_one_stop_client.api.oauth import issue_token
from msa_one_stop_client.api.registry import load_certificates, push_certificate
from msa_one_stop_client.api.webhooks import create_webhook_subscription, list_webhook_deliveries
from msa_one_stop_client.models import (
    CertificatePushBody,
    EventSelector,
    IssueTokenClientTokenRequest,
    PushResult,
    SubscriptionCreate,
)
from msa_one_stop_client.types import File
from standardwebhooks import Webhook

SCOPES = "certificates:write applications:read events:subscribe"


def seafarer_certificate(registry_id: str, id_number: str) -> dict:
    """A 海船船员适任证书 as the registry holds it (the push body, plus its registry id)."""
    return {
        "registry_id": registry_id,
        "source_version": 1,
        "type_code": "SEAFARER_COC_SEA",
        "number": f"JSH{registry_id[-10:].upper()}",
        "status": "valid",
        "agency_code": "SH",
        "holder": {"kind": "person", "name": "王海生", "id_number": id_number},
        "issued_on": "2025-03-01",
        "expires_on": "2030-02-28",
        "fields": {
            "gender": "男",
            "birth_date": "1990-01-01",
            "nationality": "中国",
            "department": "甲板部",
            "capacity": "大副",
            "grade": "3000总吨及以上",
            "navigation_area": "无限航区",
            "limitations": "无",
        },
    }


class Consumer:
    """The registry's webhook endpoint: keeps each request's body and headers, answers 204."""

    def __init__(self) -> None:
        received: queue.Queue = queue.Queue()

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                received.put((body, dict(self.headers.items())))
                self.send_response(204)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.received = received
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hooks/msa"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()


def take_token(base_url: str, client_id: str, client_secret: str) -> str:
    with Client(base_url=base_url, raise_on_unexpected_status=True) as anonymous:
        issued = issue_token.sync(
            client=anonymous,
            body=IssueTokenClientTokenRequest.from_dict(
                {
                    "grant_type": "client_credentials",
                    "scope": SCOPES,
                    "client_id": client_id,
                    "client_secret": client_secret,
                }
            ),
        )
    check(issued.token_type == "Bearer" and set(issued.scope.split()) == set(SCOPES.split()), issued)
    print(f"token: {issued.scope}, {issued.expires_in} s")
    return issued.access_token


def check(condition: bool, what: object) -> None:
    if not condition:
        raise SystemExit(f"unexpected: {what}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument("--wait", type=float, default=30, help="seconds to wait for each webhook")
    args = parser.parse_args(argv)

    token = take_token(args.base_url, args.client_id, args.client_secret)
    run = uuid.uuid4().hex[:8]
    consumer = Consumer()
    with AuthenticatedClient(base_url=args.base_url, token=token, raise_on_unexpected_status=True) as api:
        # 1. Subscribe the consumer to the certificates' events; the secret is shown this once.
        subscription = create_webhook_subscription.sync(
            client=api,
            body=SubscriptionCreate(url=consumer.url, event_types=[EventSelector.CERTIFICATE]),
        )
        print(f"subscribed {subscription.id} → {consumer.url}")

        # 2. Push one certificate (201 the first time, by the registry's own id).
        first = seafarer_certificate(f"EX-{run}-0001", "310101199001011234")
        registry_id = first.pop("registry_id")
        pushed = push_certificate.sync_detailed(
            registry_id, client=api, body=CertificatePushBody.from_dict(first)
        )
        check(pushed.status_code == 201 and isinstance(pushed.parsed, PushResult), pushed)
        result = pushed.parsed
        print(f"pushed {registry_id}: certificate {result.certificate_id}, applied={result.applied}")

        # 3. Bulk-load two more as NDJSON; the report's last line is the summary.
        lines = [seafarer_certificate(f"EX-{run}-{n:04d}", "310101199001011234") for n in (2, 3)]
        ndjson = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines).encode()
        loaded = load_certificates.sync_detailed(
            client=api,
            body=File(payload=ndjson, file_name="certificates.ndjson", mime_type="application/x-ndjson"),
        )
        check(loaded.status_code == 200 and isinstance(loaded.parsed, File), loaded)
        report = [
            json.loads(line) for line in loaded.parsed.payload.read().decode().splitlines() if line.strip()
        ]
        summary = report[-1]["summary"]
        check(summary.get("accepted") == 2 and summary.get("refused") == 0, report)
        print(f"bulk: {summary}")

        # 4. The three certificate.issued events arrive signed; verify each before trusting it.
        verifier = Webhook(subscription.secret)
        seen: set[str] = set()
        while len(seen) < 3:
            try:
                body, headers = consumer.received.get(timeout=args.wait)
            except queue.Empty:
                raise SystemExit(f"only {len(seen)} of 3 webhooks arrived within {args.wait} s") from None
            event = verifier.verify(body, {name.lower(): value for name, value in headers.items()})
            check(event["type"] == "certificate.issued", event)
            check(
                "310101199001011234" not in body.decode() and "王海生" not in body.decode(),
                "personal data in an event",
            )
            if event["data"]["registry_id"].startswith(f"EX-{run}-"):
                seen.add(event["data"]["registry_id"])
                print(
                    f"webhook {headers.get('webhook-id') or headers.get('Webhook-Id')}: {event['type']} "
                    f"{event['data']['registry_id']} (signature verified)"
                )
        deliveries = list_webhook_deliveries.sync(client=api, subscription_id=subscription.id)
        print(f"delivery log: {len(deliveries.items)} deliveries")

        # 5. Poll the back office's list of the subtree's applications.
        page = backoffice_list_applications.sync(client=api, limit=20)
        print(f"back office: {len(page.items)} applications on the first page")
    consumer.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
