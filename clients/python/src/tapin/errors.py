"""Error types: every failure a caller may want to tell apart has its own class."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, List, Optional


@dataclass(frozen=True)
class RateLimitInfo:
    """The rate-limit headers tapin sends on every keyed response."""

    limit: Optional[int] = None
    remaining: Optional[int] = None
    reset: Optional[int] = None
    """``X-RateLimit-Reset``: Unix epoch seconds at which the budget is full again."""
    retry_after: Optional[float] = None
    """`Retry-After` in seconds (429 and 503)."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


class TapinError(Exception):
    """Base class of every error this library raises."""


class TapinApiError(TapinError):
    """tapin answered with its error envelope ``{"error": {code, message, fields, reason?}}``."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        fields: Optional[List[FieldError]] = None,
        reason: Optional[str] = None,
        request_id: Optional[str] = None,
        rate_limit: Optional[RateLimitInfo] = None,
        body: Any = None,
    ) -> None:
        why = f" ({reason})" if reason else ""
        super().__init__(f"{status} {code}{why}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or []
        self.reason = reason
        self.request_id = request_id
        self.rate_limit = rate_limit or RateLimitInfo()
        self.body = body


class RateLimitedError(TapinApiError):
    """429 after the retries allowed: ``rate_limit.retry_after`` says when to try again."""


class TapinConnectionError(TapinError):
    """The server could not be reached (after the retries allowed)."""


class WaitTimeoutError(TapinError):
    """A wait ran past the caller's overall timeout; the object is still open on the server."""

    def __init__(self, message: str, id: str, last_seen: Any = None) -> None:
        super().__init__(message)
        self.id = id
        self.last_seen = last_seen


class ApprovalExpiredError(TapinError):
    """The approval timed out on the server (``status: expired``); tapin routes it like a deny."""

    def __init__(self, approval: dict) -> None:
        super().__init__(f"approval {approval.get('id')} expired before anyone decided it")
        self.approval = approval


class ApprovalCancelledError(TapinError):
    """The approval was cancelled before a decision."""

    def __init__(self, approval: dict) -> None:
        super().__init__(f"approval {approval.get('id')} was cancelled before a decision")
        self.approval = approval


class AssistEndedError(TapinError):
    """An assist handoff ended without being solved: ``expired``, ``failed`` or ``cancelled``."""

    def __init__(self, handoff_id: str, state: str) -> None:
        super().__init__(f"assist handoff {handoff_id} ended as {state} before the operator solved it")
        self.handoff_id = handoff_id
        self.state = state


class WebhookVerificationError(TapinError):
    """A webhook delivery failed verification: do not process it."""
