"""A schemathesis check for tests/test_fuzz.py: schema-valid input is refused only for a reason a
JSON Schema cannot state.

``positive_data_acceptance`` lets 422 through (its ``expected-statuses``); this check then reads
the problem: a 422 answer to generated *valid* data passes only when its ``code`` is one of
``SEMANTIC_PROBLEMS``, or it is ``validation_failed`` and every field error's ``type`` is one of
``SEMANTIC_ERRORS`` (some only at a given place). Anything else is a rule the OpenAPI document
fails to say, and the run fails naming the operation, the request and the answer.

Loaded by schemathesis itself (``hooks`` in the generated config), so it imports nothing of the
project.
"""

import json

import schemathesis

# Problems refused as a whole, by code.
SEMANTIC_PROBLEMS: dict[str, str] = {
    "pagination.invalid_cursor": "a cursor is opaque: only those the API handed out decode",
    "certificate.token_invalid": "a display token is a JWS: only the API's own signature verifies",
    "certificate.token_expired": "a display token's expiry is signed inside it",
    "certificate.token_unknown_key": "a display token names the key that signed it",
    "idempotency.key_reused": "the key was used before with another request (stored state)",
    "application.item_not_online": "the item must exist and be one that is handled online",
}

# Field errors of ``validation_failed``, by type: the reason, and where (the start of ``loc``)
# when the type is semantic only there.
SEMANTIC_ERRORS: dict[str, tuple[str, tuple[str, ...] | None]] = {
    "id_card.birth_date": ("the birth date must exist on the calendar and not be in the future", None),
    "id_card.check_digit": ("GB 11643 check digit", None),
    "credit_code.check_character": ("GB 32100 check character", None),
    "imo.check_digit": ("IMO number check digit", None),
    "password_policy": (
        "strength counted by Unicode character classes, and no username or phone inside it",
        None,
    ),
    "password_reused": ("the new password must differ from the stored one", None),
    "unknown_material": ("the material must exist and be the caller's", None),
    "unknown_agency": ("the agency must exist", None),
    "agency": ("the operator's agency must exist", None),
    "unknown_country": ("the flag must be a country of the reference list", None),
    "unknown_template": ("the template must be the service's subscription template", None),
    "not_correctable": ("the field must be one the certificate's type lets correct", None),
    "supplement.unknown_material": ("a 补正 item must name a material slot of the application's item", None),
    "supplement.unknown_field": ("a 补正 item must name a form field of the application's item", None),
    "supplement.duplicate": ("uniqueItems compares whole items; a slot or field may be named once", None),
    "contacted_at_out_of_range": ("a 回访 happens after the rating and not in the future", None),
    "network": ("an IPv6 network's spelling (where its `::` go) is parsed", ("body", "allowed_sources")),
    "jwks.invalid_key": ("a public key must parse: EC point on P-256, RSA ≥ 2048 bits, alg fits kty", None),
    "invalid_range": ("`until` after `since`: a JSON Schema cannot compare two parameters", None),
    "decision_nature": ("a decision's content follows the item's nature (licensing, filing, report)", ("body",)),
    "date_window": ("a licence's validity is counted from today", ("body", "licence")),
    # Pushed certificates: the type's fields (a real calendar day), the photo's bytes.
    "certificate_fields": ("a field's date must exist on the calendar", ("body", "fields")),
    "photo_format": ("the photo's Base64 decodes to a JPEG or PNG of at most 200 KB", ("body", "photo")),
    "period_too_long": ("statistics: at most 24 months between two parameters, which a JSON Schema cannot compare", None),
    # The uploaded file: its name comes in the part's headers, its type and emptiness from its bytes.
    "empty": ("the file's contents", ("body", "file")),
    "missing": ("the file's contents tell no accepted type", ("body", "file")),
    "invalid_name": ("the file name, in the part's Content-Disposition header", ("body", "file")),
    "invisible_characters": ("the file name, in the part's Content-Disposition header", ("body", "file")),
    "name_too_long": ("the file name, in the part's Content-Disposition header", ("body", "file")),
}


def _semantic(error: dict, stored_state: bool) -> bool:
    loc = tuple(error.get("loc") or ())
    if stored_state and loc[:1] == ("body",):
        # An operation without a body (submit) checks what was stored before: the draft.
        return True
    reason = SEMANTIC_ERRORS.get(error.get("type", ""))
    if reason is None:
        return False
    where = reason[1]
    return where is None or loc[: len(where)] == where


@schemathesis.check
def refusals_are_semantic(ctx, response, case):
    meta = case.meta
    if meta is None or not meta.generation.mode.is_positive or response.status_code != 422:
        return None
    try:
        problem = json.loads(response.text)
    except ValueError:
        problem = {}
    code = problem.get("code")
    if code in SEMANTIC_PROBLEMS:
        return None
    stored_state = not case.operation.body.items
    errors = problem.get("errors") or []
    if code == "validation_failed" and errors and all(_semantic(error, stored_state) for error in errors):
        return None
    raise AssertionError(
        "Schema-valid input was refused for a rule the OpenAPI document does not state "
        f"(say it in the schema, or list it in tests/support/fuzz_checks.py with its reason): {response.text}"
    )
