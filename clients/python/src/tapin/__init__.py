"""tapin: the agent-side client of tapin, the human-in-the-loop desk for AI agents.

``Tapin`` (sync) and ``AsyncTapin`` cover the agent API with the waits done for the
caller; ``tapin.webhooks`` verifies deliveries; ``tapin.playwright.wrap_page`` hands a
stuck browser screen to a person."""

from ._http import Response, new_idempotency_key, rate_limit_of
from .client import AsyncTapin, Decision, Tapin, decision_of
from .errors import (
    ApprovalCancelledError,
    ApprovalExpiredError,
    AssistEndedError,
    FieldError,
    RateLimitedError,
    RateLimitInfo,
    TapinApiError,
    TapinConnectionError,
    TapinError,
    WaitTimeoutError,
    WebhookVerificationError,
)
from .webhooks import Webhook, sign as sign_webhook, verify_webhook

__all__ = [
    "ApprovalCancelledError",
    "ApprovalExpiredError",
    "AssistEndedError",
    "AsyncTapin",
    "Decision",
    "FieldError",
    "RateLimitInfo",
    "RateLimitedError",
    "Response",
    "Tapin",
    "TapinApiError",
    "TapinConnectionError",
    "TapinError",
    "WaitTimeoutError",
    "Webhook",
    "WebhookVerificationError",
    "decision_of",
    "new_idempotency_key",
    "rate_limit_of",
    "sign_webhook",
    "verify_webhook",
]
