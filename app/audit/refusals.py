"""Refused access to protected routes joins the audit trail (等保 2.0 level 3, 安全审计).

A 401, 403 or 404 answered by a route that asks for a signed-in caller — a citizen calling an
administrator's route, staff of one agency opening another agency's application, anyone
opening an application that is not theirs — adds one ``access.refused`` event: who (when the
token told), the route's template (never the path itself, which may carry numbers), the method,
the problem's code, and the outcome. Public routes are left out: an unknown catalog item or a
mistyped URL is not a security event. Refusals that record themselves (``audited = True`` on
the error class) are not recorded twice. A machine client's other refusals (a 409, a 422…) are
recorded as its ``client.call`` with the outcome ``refused``.

The one dependency every protected route has (``app.auth.deps``) leaves a callback on the
request's session; ``app.core.db.request_transaction`` calls it once the request's own
transaction is over (rolled back unless the error keeps its changes), and the event is
committed in a transaction of its own, so it stays whatever became of the request's work.
"""

import logging
from dataclasses import dataclass

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from app.audit import service as audit
from app.core.db import ON_REFUSAL
from app.core.errors import AppError

OUTCOMES = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}
log = logging.getLogger(__name__)


@dataclass
class ProtectedRequest:
    session: AsyncSession
    method: str
    route: str | None
    ip: str
    actor_id: str | None = None

    # A machine client's call is in the trail whatever its answer (``client.call``): its
    # refusals too, since the request's own record of the call was rolled back with its work.
    machine_client: bool = False

    async def refused(self, error: AppError) -> None:
        outcome = OUTCOMES.get(error.status)
        detail = {"method": self.method, "route": self.route, "code": error.code}
        if outcome is not None and not getattr(error, "audited", False):
            audit.record(self.session, "access.refused", outcome, actor_id=self.actor_id, ip=self.ip, detail=detail)
        elif self.machine_client:
            audit.record(self.session, "client.call", "refused", actor_id=self.actor_id, ip=self.ip, detail=detail)
        else:
            return
        try:
            await self.session.commit()
        except Exception:
            # The refusal stands whatever happens to its record; the operators hear of the loss.
            await self.session.rollback()
            log.exception("could not record a refused access")


def watch(request: Request, session: AsyncSession, ip: str) -> ProtectedRequest:
    """Called by the dependency every protected route has, before the token is read."""
    route = request.scope.get("route")
    protected = ProtectedRequest(session, request.method, getattr(route, "path", None), ip)
    session.info[ON_REFUSAL] = protected.refused
    return protected
