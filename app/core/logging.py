"""Structured JSON logs on stdout, each line carrying the request id."""

import logging
import sys

from pythonjsonlogger.json import JsonFormatter

from app.core.request_context import current_request_id

HANDLER_NAME = "app-json"


class _RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = current_request_id()
        # uvicorn adds an ANSI-coloured copy of each message; it is noise in JSON.
        record.__dict__.pop("color_message", None)
        return True


def configure_logging(level: str) -> None:
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(
        JsonFormatter(
            "{asctime}{levelname}{name}{message}{request_id}",
            style="{",
            rename_fields={"asctime": "time", "levelname": "level", "name": "logger"},
            json_ensure_ascii=False,
        )
    )
    handler.addFilter(_RequestContextFilter())
    handler.name = HANDLER_NAME
    root = logging.getLogger()
    # Replace only our own handler, so that repeated app creation and other handlers coexist.
    root.handlers[:] = [h for h in root.handlers if h.name != HANDLER_NAME] + [handler]
    root.setLevel(level)
    # uvicorn's own access log would duplicate ours, without the request id.
    logging.getLogger("uvicorn.access").disabled = True
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
