"""Personal information at rest: AES-GCM encryption plus an HMAC blind index.

ID-card numbers and phone numbers are never stored in plaintext. The blind index
(HMAC-SHA256 under a separate key) makes them unique and searchable without decryption.
"""

import base64
import hmac
import os

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

_NONCE_BYTES = 12


class PersonalDataCipher:
    def __init__(self, encryption_key: bytes, index_key: bytes) -> None:
        if len(encryption_key) != 32 or len(index_key) < 32:
            raise ValueError("personal data keys must be 32 bytes")
        self._aead = AESGCM(encryption_key)
        self._index_key = index_key

    def encrypt(self, plaintext: str, *, purpose: str) -> bytes:
        """``purpose`` (e.g. ``"users.phone"``) is bound as associated data: a value copied
        into another column will not decrypt there."""
        nonce = os.urandom(_NONCE_BYTES)
        return nonce + self._aead.encrypt(nonce, plaintext.encode(), purpose.encode())

    def decrypt(self, ciphertext: bytes, *, purpose: str) -> str:
        try:
            plaintext = self._aead.decrypt(
                ciphertext[:_NONCE_BYTES], ciphertext[_NONCE_BYTES:], purpose.encode()
            )
        except InvalidTag as error:
            raise ValueError("personal data could not be decrypted") from error
        return plaintext.decode()

    def blind_index(self, value: str, *, purpose: str) -> str:
        digest = hmac.digest(self._index_key, f"{purpose}\x00{value}".encode(), "sha256")
        return base64.urlsafe_b64encode(digest).decode().rstrip("=")
