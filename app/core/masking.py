"""Masking of personal data shown back to users (contract: masking)."""


def mask_id_number(value: str) -> str:
    """``310101199001011234`` → ``3****************4``."""
    return value[0] + "*" * (len(value) - 2) + value[-1] if len(value) > 2 else "*" * len(value)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def mask_name(value: str) -> str:
    """Keeps the surname and, from three characters, the last: ``张*``, ``张*三``."""
    if len(value) <= 1:
        return value
    if len(value) == 2:
        return value[0] + "*"
    return value[0] + "*" * (len(value) - 2) + value[-1]
