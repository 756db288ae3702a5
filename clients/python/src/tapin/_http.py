"""Requests: auth, JSON, retries (network errors, 5xx, 429 with Retry-After),
idempotency keys, and tapin's error envelope turned into TapinApiError."""

from __future__ import annotations

import asyncio
import json as jsonlib
import random
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional

import httpx

from .errors import FieldError, RateLimitedError, RateLimitInfo, TapinApiError, TapinConnectionError

USER_AGENT = "tapin-client-python/0.1"


def new_idempotency_key() -> str:
    return str(uuid.uuid4())


@dataclass
class Response:
    data: Any
    status: int
    headers: httpx.Headers
    rate_limit: RateLimitInfo
    replayed: bool
    """True when tapin replayed the first answer to this ``Idempotency-Key``."""


def rate_limit_of(headers: Mapping[str, str]) -> RateLimitInfo:
    def num(name: str) -> Optional[float]:
        v = headers.get(name)
        if v is None or not v.strip():
            return None
        try:
            return float(v)
        except ValueError:
            return None

    def integer(name: str) -> Optional[int]:
        v = num(name)
        return None if v is None else int(v)

    return RateLimitInfo(
        limit=integer("x-ratelimit-limit"),
        remaining=integer("x-ratelimit-remaining"),
        reset=integer("x-ratelimit-reset"),
        retry_after=num("retry-after"),
    )


def api_error(status: int, body: Any, headers: Mapping[str, str]) -> TapinApiError:
    env = body.get("error") if isinstance(body, dict) else None
    env = env if isinstance(env, dict) else {}
    fields = [
        FieldError(field=str(f.get("field", "")), message=str(f.get("message", "")))
        for f in env.get("fields") or []
        if isinstance(f, dict)
    ]
    cls = RateLimitedError if status == 429 else TapinApiError
    return cls(
        status=status,
        code=str(env.get("code") or f"http_{status}"),
        message=str(env.get("message") or (body if isinstance(body, str) and body else f"HTTP {status}")),
        fields=fields,
        reason=env.get("reason"),
        request_id=headers.get("x-request-id"),
        rate_limit=rate_limit_of(headers),
        body=body,
    )


class _Core:
    """What the sync and async transports share: URLs, headers, retry rules, parsing."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        max_retries: int = 4,
        timeout: float = 30.0,
        max_backoff: float = 30.0,
    ) -> None:
        if not base_url:
            raise ValueError("base_url is required")
        if not api_key:
            raise ValueError("api_key is required")
        self.base_url = base_url.rstrip("/")
        self.api_key = api_key
        self.max_retries = max_retries
        self.timeout = timeout
        self.max_backoff = max_backoff

    def url(self, path: str) -> str:
        return f"{self.base_url}/api/v1{path}"

    def headers(self, idempotency_key: Optional[str], has_body: bool) -> Dict[str, str]:
        h = {
            "authorization": f"Bearer {self.api_key}",
            "accept": "application/json",
            "user-agent": USER_AGENT,
        }
        if has_body:
            h["content-type"] = "application/json"
        if idempotency_key:
            h["idempotency-key"] = idempotency_key
        return h

    def backoff(self, attempt: int, retry_after: Optional[float] = None) -> float:
        """Seconds to wait before retry number ``attempt`` (0-based), jittered."""
        if retry_after is not None:
            return min(retry_after, self.max_backoff)
        base = min(0.25 * 2**attempt, self.max_backoff)
        return base / 2 + random.random() * base / 2

    @staticmethod
    def query(q: Optional[Mapping[str, Any]]) -> Dict[str, str]:
        out: Dict[str, str] = {}
        for k, v in (q or {}).items():
            if v is None:
                continue
            out[k] = ("true" if v else "false") if isinstance(v, bool) else str(v)
        return out

    @staticmethod
    def parse(res: httpx.Response) -> Any:
        if not res.content:
            return None
        try:
            return res.json()
        except (ValueError, jsonlib.JSONDecodeError):
            return res.text

    def outcome(self, res: httpx.Response, retryable: bool) -> "tuple[Optional[Response], Optional[TapinApiError], bool]":
        """(response, error, retry?) for one answer."""
        body = self.parse(res)
        if res.is_success:
            return (
                Response(
                    data=body,
                    status=res.status_code,
                    headers=res.headers,
                    rate_limit=rate_limit_of(res.headers),
                    replayed=res.headers.get("idempotent-replayed") == "true",
                ),
                None,
                False,
            )
        err = api_error(res.status_code, body, res.headers)
        again = (
            res.status_code == 429
            or (retryable and res.status_code >= 500)
            or (retryable and res.status_code == 409 and err.reason == "idempotency_in_progress")
        )
        return None, err, again


class SyncTransport(_Core):
    def __init__(self, *args: Any, http_client: Optional[httpx.Client] = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.client = http_client or httpx.Client()

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        json: Any = None,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> Response:
        # A POST is only repeated when tapin can recognise the repeat.
        retryable = method in ("GET", "HEAD") or bool(idempotency_key)
        content = None if json is None else jsonlib.dumps(json)
        headers = self.headers(idempotency_key, content is not None)
        attempt = 0
        while True:
            last = attempt >= self.max_retries
            try:
                res = self.client.request(
                    method,
                    self.url(path),
                    params=self.query(query),
                    content=content,
                    headers=headers,
                    timeout=timeout or self.timeout,
                )
            except httpx.TransportError as e:
                if not retryable or last:
                    raise TapinConnectionError(f"{method} {path}: {e!r}") from e
                time.sleep(self.backoff(attempt))
                attempt += 1
                continue
            ok, err, again = self.outcome(res, retryable)
            if ok is not None:
                return ok
            assert err is not None
            if not again or last:
                raise err
            time.sleep(self.backoff(attempt, err.rate_limit.retry_after))
            attempt += 1

    def close(self) -> None:
        self.client.close()


class AsyncTransport(_Core):
    def __init__(self, *args: Any, http_client: Optional[httpx.AsyncClient] = None, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.client = http_client or httpx.AsyncClient()

    async def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Mapping[str, Any]] = None,
        json: Any = None,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
    ) -> Response:
        retryable = method in ("GET", "HEAD") or bool(idempotency_key)
        content = None if json is None else jsonlib.dumps(json)
        headers = self.headers(idempotency_key, content is not None)
        attempt = 0
        while True:
            last = attempt >= self.max_retries
            try:
                res = await self.client.request(
                    method,
                    self.url(path),
                    params=self.query(query),
                    content=content,
                    headers=headers,
                    timeout=timeout or self.timeout,
                )
            except httpx.TransportError as e:
                if not retryable or last:
                    raise TapinConnectionError(f"{method} {path}: {e!r}") from e
                await asyncio.sleep(self.backoff(attempt))
                attempt += 1
                continue
            ok, err, again = self.outcome(res, retryable)
            if ok is not None:
                return ok
            assert err is not None
            if not again or last:
                raise err
            await asyncio.sleep(self.backoff(attempt, err.rate_limit.retry_after))
            attempt += 1

    async def aclose(self) -> None:
        await self.client.aclose()
