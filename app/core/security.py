"""Passwords, signed tokens and their keys. The only module that imports passlib and python-jose,
so either can be replaced without touching the rest of the code."""

import asyncio
import base64
import hashlib
import json
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from jose import ExpiredSignatureError, JWTError, jwk, jwt
from passlib.context import CryptContext

# argon2id only: bcrypt would drag in passlib's broken bcrypt-5 self-test.
_passwords = CryptContext(schemes=["argon2"], deprecated="auto")
# Verified against when the account does not exist, so both cases take as long.
_DUMMY_HASH = _passwords.hash("timing-equaliser-not-a-password")


class InvalidToken(Exception):
    """Signature, algorithm, audience, issuer or expiry did not check out."""


class TokenExpired(InvalidToken):
    """The signature checked out, but the token is past its expiry."""


async def hash_password(password: str) -> str:
    return await asyncio.to_thread(_passwords.hash, password)


async def verify_password(password: str, password_hash: str | None) -> bool:
    """Constant work whether or not there is a hash to check against."""
    if password_hash is None:
        await asyncio.to_thread(_passwords.verify, password, _DUMMY_HASH)
        return False
    return await asyncio.to_thread(_passwords.verify, password, password_hash)


def sign_token(
    claims: dict[str, Any], key: str, algorithm: str, headers: dict[str, Any] | None = None
) -> str:
    return jwt.encode(claims, key, algorithm=algorithm, headers=headers)


# python-jose checks `aud`, `iss` and `exp` only when the token carries them; every token this
# app signs carries all three, so one without them is not one of ours.
_REQUIRED_CLAIMS = {"require_exp": True, "require_aud": True, "require_iss": True}


def verify_token(
    token: str, key: str | dict[str, Any], *, algorithms: list[str], audience: str, issuer: str
) -> dict[str, Any]:
    try:
        return jwt.decode(
            token, key, algorithms=algorithms, audience=audience, issuer=issuer, options=_REQUIRED_CLAIMS
        )
    except ExpiredSignatureError as error:  # raised only once the signature has been verified
        raise TokenExpired(str(error)) from error
    except (JWTError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error


def token_header(token: str) -> dict[str, Any]:
    """The JOSE header, unverified: only for choosing the key to verify with."""
    try:
        return jwt.get_unverified_header(token)
    except (JWTError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error


ES256 = "ES256"


def generate_es256_key() -> tuple[str, dict[str, Any]]:
    """A new P-256 key pair: the private key as PEM and the public JWK, whose ``kid`` is its
    RFC 7638 thumbprint, so any holder of the JWK can recompute it."""
    private_key = ec.generate_private_key(ec.SECP256R1())
    pem = private_key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    public = jwk.construct(pem, ES256).public_key().to_dict()
    required = {name: public[name] for name in ("crv", "kty", "x", "y")}
    digest = hashlib.sha256(json.dumps(required, separators=(",", ":"), sort_keys=True).encode()).digest()
    kid = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    return pem, {**required, "alg": ES256, "use": "sig", "kid": kid}


# Keys registered by others (a machine client's JWKS for private_key_jwt): public keys only.
ASYMMETRIC_ALGORITHMS = {"ES256": "EC", "RS256": "RSA"}
_PRIVATE_MEMBERS = ("d", "p", "q", "dp", "dq", "qi", "oth", "k")
RSA_MIN_BITS = 2048


def check_public_jwk(key: dict[str, Any]) -> None:
    """Raise ``ValueError`` unless ``key`` is a usable RS256/ES256 public key (and nothing more)."""
    if any(member in key for member in _PRIVATE_MEMBERS):
        raise ValueError("private")
    algorithm = key.get("alg") or ("ES256" if key.get("kty") == "EC" else "RS256")
    if ASYMMETRIC_ALGORITHMS.get(algorithm) != key.get("kty"):
        raise ValueError("algorithm")
    if key.get("kty") == "EC" and key.get("crv") != "P-256":
        raise ValueError("curve")
    try:
        constructed = jwk.construct(key, algorithm)
        public = constructed.prepared_key  # cryptography's key: the point is on the curve, n parses
    except Exception as error:  # jose and cryptography raise many kinds for a malformed key
        raise ValueError("malformed") from error
    if not constructed.is_public():
        raise ValueError("private")
    if key.get("kty") == "RSA" and public.key_size < RSA_MIN_BITS:
        raise ValueError("weak")


def verify_signed_by_any(token: str, keys: list[dict[str, Any]]) -> dict[str, Any]:
    """The claims of a JWT signed (RS256 or ES256) by one of ``keys`` (a JWKS's public keys),
    with ``exp`` required and checked; audience and issuer are the caller's to check."""
    header = token_header(token)
    algorithm = header.get("alg")
    if algorithm not in ASYMMETRIC_ALGORITHMS:
        raise InvalidToken("algorithm")
    kid = header.get("kid")
    candidates = [
        key
        for key in keys
        if key.get("kty") == ASYMMETRIC_ALGORITHMS[algorithm]
        and key.get("alg", algorithm) == algorithm
        and (kid is None or key.get("kid") == kid)
    ]
    for key in candidates:
        try:
            return jwt.decode(
                token, key, algorithms=[algorithm], options={"verify_aud": False, "require_exp": True}
            )
        except ExpiredSignatureError as error:
            raise TokenExpired(str(error)) from error
        except (JWTError, ValueError, TypeError):
            continue
    raise InvalidToken("no key verifies the signature")


def unverified_claims(token: str) -> dict[str, Any]:
    """The claims, unverified: only for finding whose keys to verify with."""
    try:
        claims = jwt.get_unverified_claims(token)
    except (JWTError, ValueError, TypeError) as error:
        raise InvalidToken(str(error)) from error
    if not isinstance(claims, dict):
        raise InvalidToken("claims")
    return claims
