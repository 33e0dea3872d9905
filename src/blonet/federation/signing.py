"""Node keys, signatures and sealed bodies, pure Python (no Django).

Each node holds an Ed25519 signing key and an X25519 encryption key. Signatures are detached
Ed25519 signatures over canonical bytes. A sealed body is encrypted once with a fresh random
key (XSalsa20-Poly1305, `SecretBox`) and that key is sealed to each recipient node's X25519
public key (`SealedBox`), so only the recipients can read it: neither a transit node nor the
broker can.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

import nacl.exceptions
import nacl.public
import nacl.secret
import nacl.signing
import nacl.utils


class SealError(Exception):
    """A sealed body could not be opened (not a recipient, wrong key, tampered)."""


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def unb64(text: str) -> bytes:
    """Strict base64: a text that is not the canonical encoding of its bytes is refused, so
    no two texts (say, differing in the unused bits before `=`) stand for the same bytes."""
    raw = base64.b64decode(text.encode("ascii"), validate=True)
    if base64.b64encode(raw).decode("ascii") != text:
        raise ValueError("non-canonical base64")
    return raw


def key_id(node: str, verify_key: bytes) -> str:
    """A short, stable name of a public key: `<node>:<first 16 hex of SHA-256>`."""
    return f"{node}:{hashlib.sha256(verify_key).hexdigest()[:16]}"


@dataclass(frozen=True)
class KeyPair:
    node: str
    sign_seed: bytes  # 32 bytes, secret
    box_secret: bytes  # 32 bytes, secret

    @property
    def verify_key(self) -> bytes:
        return bytes(nacl.signing.SigningKey(self.sign_seed).verify_key)

    @property
    def box_public(self) -> bytes:
        return bytes(nacl.public.PrivateKey(self.box_secret).public_key)

    @property
    def key_id(self) -> str:
        return key_id(self.node, self.verify_key)

    def sign(self, message: bytes) -> bytes:
        return nacl.signing.SigningKey(self.sign_seed).sign(message).signature

    def public(self) -> dict[str, str]:
        return {
            "node": self.node,
            "key_id": self.key_id,
            "sign_public": b64(self.verify_key),
            "box_public": b64(self.box_public),
        }


def generate(node: str) -> KeyPair:
    return KeyPair(
        node=node,
        sign_seed=bytes(nacl.signing.SigningKey.generate()),
        box_secret=bytes(nacl.public.PrivateKey.generate()),
    )


def verify(verify_key: bytes, message: bytes, signature: bytes) -> bool:
    try:
        nacl.signing.VerifyKey(verify_key).verify(message, signature)
    except (nacl.exceptions.BadSignatureError, nacl.exceptions.CryptoError, ValueError, TypeError):
        return False
    return True


def seal(plaintext: bytes, recipients: dict[str, bytes]) -> tuple[str, dict[str, str]]:
    """Encrypt `plaintext` for each recipient node's X25519 public key.

    Returns the ciphertext and, per recipient node, the body key sealed to that node.
    """
    body_key = nacl.utils.random(nacl.secret.SecretBox.KEY_SIZE)
    ciphertext = nacl.secret.SecretBox(body_key).encrypt(plaintext)
    keys = {
        node: b64(nacl.public.SealedBox(nacl.public.PublicKey(public)).encrypt(body_key))
        for node, public in sorted(recipients.items())
    }
    return b64(bytes(ciphertext)), keys


def unseal(ciphertext: str, sealed_keys: dict[str, str], pair: KeyPair) -> bytes:
    sealed = sealed_keys.get(pair.node)
    if not isinstance(sealed, str):
        raise SealError("no body key sealed to this node")
    try:
        body_key = nacl.public.SealedBox(nacl.public.PrivateKey(pair.box_secret)).decrypt(
            unb64(sealed)
        )
        return nacl.secret.SecretBox(body_key).decrypt(unb64(ciphertext))
    except (nacl.exceptions.CryptoError, ValueError, TypeError) as exc:
        raise SealError("the sealed body does not open with this node's key") from exc


# --- key files -----------------------------------------------------------------------------

KEY_FILE = "node-key.json"


def save(pair: KeyPair, directory: Path) -> Path:
    """Write the secret keys to `<directory>/node-key.json`, readable by the owner only."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / KEY_FILE
    data = {
        "node": pair.node,
        "key_id": pair.key_id,
        "sign_seed": b64(pair.sign_seed),
        "box_secret": b64(pair.box_secret),
    }
    return write_private(path, json.dumps(data, indent=2).encode("utf-8"))


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path`, readable by the owner only (a file already there included)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(path, 0o600)
    return path


def load(directory: Path) -> KeyPair:
    path = directory / KEY_FILE
    data = json.loads(path.read_text(encoding="utf-8"))
    return KeyPair(
        node=str(data["node"]), sign_seed=unb64(data["sign_seed"]),
        box_secret=unb64(data["box_secret"]),
    )  # fmt: skip
