"""Standard Webhooks (1.0, symmetric v1) verification of tapin's deliveries
(docs/webhooks.md): HMAC-SHA256 over ``<webhook-id>.<webhook-timestamp>.<raw body>``,
keyed with the base64 after ``whsec_``, compared in constant time."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import re
import time
from typing import Any, Mapping, Optional, Sequence, Union

from .errors import WebhookVerificationError

Secrets = Union[str, Sequence[str]]


def secret_key(secret: str) -> bytes:
    """The HMAC key of a ``whsec_…`` secret (the base64 after the prefix)."""
    b64 = secret[len("whsec_") :] if secret.startswith("whsec_") else secret
    try:
        key = base64.b64decode(b64 + "=" * (-len(b64) % 4), validate=True)
    except (binascii.Error, ValueError) as e:
        raise WebhookVerificationError("the webhook secret is not base64") from e
    if not key:
        raise WebhookVerificationError("the webhook secret is empty")
    return key


def sign(secret: str, id: str, timestamp: Union[int, str], body: Union[str, bytes]) -> str:
    """``v1,<base64>`` for a body, as tapin signs it (for tests and fixtures)."""
    raw = body.encode() if isinstance(body, str) else body
    mac = hmac.new(secret_key(secret), f"{id}.{timestamp}.".encode() + raw, hashlib.sha256)
    return "v1," + base64.b64encode(mac.digest()).decode()


def _header(headers: Mapping[str, Any], name: str) -> Optional[str]:
    for k, v in headers.items():
        if k.lower() == name:
            return " ".join(v) if isinstance(v, (list, tuple)) else str(v)
    return None


def verify_webhook(
    secrets: Secrets,
    raw_body: Union[str, bytes],
    headers: Mapping[str, Any],
    *,
    tolerance_seconds: int = 300,
    now: Optional[float] = None,
) -> Any:
    """Verifies a delivery over its raw body and returns the parsed payload.

    ``secrets`` may hold several (old and new during a rotation): any one matching any
    ``v1`` signature of the header is enough. Raises ``WebhookVerificationError``."""
    msg_id = _header(headers, "webhook-id")
    ts = _header(headers, "webhook-timestamp")
    sig_header = _header(headers, "webhook-signature")
    if not msg_id or not ts or not sig_header:
        raise WebhookVerificationError("missing webhook-id, webhook-timestamp or webhook-signature")
    ts = ts.strip()
    if not re.fullmatch(r"\d{1,12}", ts):
        raise WebhookVerificationError("webhook-timestamp is not Unix seconds")
    timestamp = int(ts)
    current = int(time.time() if now is None else now)
    if timestamp < current - tolerance_seconds:
        raise WebhookVerificationError("webhook-timestamp is too old")
    if timestamp > current + tolerance_seconds:
        raise WebhookVerificationError("webhook-timestamp is in the future")

    given = []
    for part in sig_header.split(" "):
        if part.startswith("v1,"):
            try:
                given.append(base64.b64decode(part[3:], validate=True))
            except (binascii.Error, ValueError):
                continue
    if not given:
        raise WebhookVerificationError("no v1 signature in webhook-signature")
    body = raw_body.encode() if isinstance(raw_body, str) else bytes(raw_body)
    ok = False
    for secret in [secrets] if isinstance(secrets, str) else list(secrets):
        expected = base64.b64decode(sign(secret, msg_id, ts, body)[3:])
        for g in given:
            # Every pair is compared (no early exit), in constant time.
            if hmac.compare_digest(g, expected):
                ok = True
    if not ok:
        raise WebhookVerificationError("no signature matches")
    try:
        return json.loads(body)
    except ValueError as e:
        raise WebhookVerificationError("the body is not JSON") from e


class Webhook:
    """``verify_webhook`` holding the secret(s)."""

    def __init__(self, secrets: Secrets) -> None:
        self.secrets = [secrets] if isinstance(secrets, str) else list(secrets)
        for s in self.secrets:
            secret_key(s)  # fail early on a malformed secret

    def verify(self, raw_body: Union[str, bytes], headers: Mapping[str, Any], **kw: Any) -> Any:
        return verify_webhook(self.secrets, raw_body, headers, **kw)
