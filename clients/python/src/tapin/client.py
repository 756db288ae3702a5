"""``Tapin`` (sync) and ``AsyncTapin``: the agent API, with the waits done for the caller.

Every POST carries an ``Idempotency-Key`` (one is made when the caller gives none), so a
retry after a lost answer never creates twice. Times are in seconds.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Any, AsyncIterator, Dict, Iterator, List, Mapping, Optional, Sequence, cast
from urllib.parse import quote

import httpx

from ._http import AsyncTransport, Response, SyncTransport, new_idempotency_key
from .errors import (
    ApprovalCancelledError,
    ApprovalExpiredError,
    AssistEndedError,
    TapinApiError,
    TapinConnectionError,
    WaitTimeoutError,
)
from .types import (
    ActionsPage,
    ApprovalRead,
    AssistAction,
    Capture,
    ConversationRead,
    EventRead,
    HandoffRead,
    MessageList,
    MessageRead,
    Packet,
    Page,
    Viewport,
    WaitResult,
)

RESUME_STATES = ("resume_requested", "resumed", "completed")
ENDED_STATES = ("expired", "failed", "cancelled")


@dataclass(frozen=True)
class Decision:
    """What a person decided."""

    approved: bool
    status: str
    """``approved`` or ``denied``."""
    note: Optional[str]
    payload: Dict[str, Any]
    """The payload to act on: the approver's edit when there is one, else what was asked."""
    answer: Any
    decided_by: Optional[str]
    next_node: Optional[str]
    approval: ApprovalRead


def decision_of(approval: ApprovalRead) -> Decision:
    status = approval["status"]
    if status == "expired":
        raise ApprovalExpiredError(dict(approval))
    if status == "cancelled":
        raise ApprovalCancelledError(dict(approval))
    if status not in ("approved", "denied"):
        raise ValueError(f"approval {approval['id']} is {status}, not decided")
    return Decision(
        approved=status == "approved",
        status=status,
        note=approval.get("decision_note"),
        payload=approval.get("decided_payload") or approval.get("payload") or {},
        answer=approval.get("answer"),
        decided_by=approval.get("decided_by"),
        next_node=approval.get("next_node"),
        approval=approval,
    )


def _id(value: str) -> str:
    return quote(value, safe="")


def _approval_body(
    conversation_id: str,
    subject_ref: str,
    subject_kind: str,
    payload: Optional[Mapping[str, Any]],
    approver_role: Optional[str],
    suspend_message: Optional[str],
    timeout_seconds: Optional[int],
    response_schema: Optional[Mapping[str, Any]],
) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "conversation_id": conversation_id,
        "subject_kind": subject_kind,
        "subject_ref": subject_ref,
        "payload": dict(payload or {}),
    }
    for k, v in (
        ("approver_role", approver_role),
        ("suspend_message", suspend_message),
        ("timeout_seconds", timeout_seconds),
        ("response_schema", response_schema),
    ):
        if v is not None:
            body[k] = v
    return body


def _assist_body(
    agent_id: str,
    interruption_type: str,
    domain: str,
    url: str,
    question: str,
    input: Optional[str],
    capture: Optional[Capture],
    timeout_seconds: Optional[int],
    assignee: Optional[str] = None,
) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "kind": "assist",
        "agent_id": agent_id,
        "interruption_type": interruption_type,
        "domain": domain,
        "url": url,
        "question": question,
    }
    if input is not None:
        body["input"] = input
    if capture is not None:
        body["capture"] = capture
    if timeout_seconds is not None:
        body["timeout_seconds"] = timeout_seconds
    if assignee is not None:
        body["assignee"] = assignee  # given to them at once; the answer's mobile_url is their signed link
    return body


def _transient(e: BaseException) -> bool:
    if isinstance(e, TapinConnectionError):
        return True
    return isinstance(e, TapinApiError) and (e.status == 429 or e.status >= 500)


def _retry_after(e: BaseException) -> Optional[float]:
    return e.rate_limit.retry_after if isinstance(e, TapinApiError) else None


def _opt(**kw: Any) -> Dict[str, Any]:
    return {k: v for k, v in kw.items() if v is not None}


class Tapin:
    """The synchronous client. ``Tapin("https://tapin.example.com", "tk_…")``."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        max_retries: int = 4,
        timeout: float = 30.0,
        max_backoff: float = 30.0,
        http_client: Optional[httpx.Client] = None,
    ) -> None:
        self.http = SyncTransport(
            base_url, api_key, max_retries=max_retries, timeout=timeout, max_backoff=max_backoff, http_client=http_client
        )

    def __enter__(self) -> "Tapin":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def close(self) -> None:
        self.http.close()

    def call(self, method: str, path: str, **kw: Any) -> Response:
        """A raw call for endpoints without a helper: ``call("GET", "/handoffs/…")``."""
        return self.http.request(method, path, **kw)

    def _get(self, path: str, query: Optional[Mapping[str, Any]] = None) -> Any:
        return self.http.request("GET", path, query=query).data

    def _post(self, path: str, body: Any = None, idempotency_key: Optional[str] = None) -> Any:
        return self.http.request(
            "POST", path, json={} if body is None else body, idempotency_key=idempotency_key or new_idempotency_key()
        ).data

    def healthz(self) -> Any:
        return self._get("/healthz")

    # --- conversations --------------------------------------------------------------

    def create_conversation(self, external_ref: Optional[str] = None, *, idempotency_key: Optional[str] = None) -> ConversationRead:
        return self._post("/conversations", _opt(external_ref=external_ref), idempotency_key)

    def get_conversation(self, id: str) -> ConversationRead:
        return self._get(f"/conversations/{_id(id)}")

    def post_message(self, conversation_id: str, author: str, content: str, *, idempotency_key: Optional[str] = None) -> MessageRead:
        return self._post(f"/conversations/{_id(conversation_id)}/messages", {"author": author, "content": content}, idempotency_key)

    def list_messages(self, conversation_id: str, since_seq: Optional[int] = None, limit: Optional[int] = None) -> MessageList:
        return self._get(f"/conversations/{_id(conversation_id)}/messages", _opt(since_seq=since_seq, limit=limit))

    # --- approvals --------------------------------------------------------------------

    def create_approval(self, body: Mapping[str, Any], *, idempotency_key: Optional[str] = None) -> ApprovalRead:
        return self._post("/approvals", dict(body), idempotency_key)

    def get_approval(self, id: str) -> ApprovalRead:
        return self._get(f"/approvals/{_id(id)}")

    def list_approvals(self, status: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None) -> Page:
        return self._get("/approvals", _opt(status=status, limit=limit, cursor=cursor))

    def decide_approval(
        self,
        id: str,
        decision: str,
        *,
        note: Optional[str] = None,
        payload: Optional[Mapping[str, Any]] = None,
        answer: Any = None,
        idempotency_key: Optional[str] = None,
    ) -> ApprovalRead:
        """Approve or deny (a key with ``approvals:decide`` that did not request it)."""
        body = _opt(decision=decision, note=note, payload=payload, answer=answer)
        return self._post(f"/approvals/{_id(id)}/decide", body, idempotency_key)

    def wait_for_approval(self, id: str, *, timeout: Optional[float] = None, poll_seconds: int = 25) -> ApprovalRead:
        """Long-polls until the approval is no longer pending, reconnecting after network
        errors, 5xx and 429; ``WaitTimeoutError`` past ``timeout`` seconds."""
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        poll = min(max(poll_seconds, 1), 60)
        last: Optional[ApprovalRead] = None
        failures = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                status = last["status"] if last else "pending"
                raise WaitTimeoutError(f"approval {id} is still {status} after the wait", id, last)
            secs = int(max(0, min(poll, math.floor(left))))
            try:
                res: WaitResult = self.http.request(
                    "GET", f"/approvals/{_id(id)}/wait", query={"timeout": secs}, timeout=secs + 15
                ).data
            except (TapinApiError, TapinConnectionError) as e:
                if not _transient(e):
                    raise
                failures += 1
                time.sleep(min(self.http.backoff(failures, _retry_after(e)), max(0.0, deadline - time.monotonic())))
                continue
            failures = 0
            last = res["approval"]
            if res["decided"]:
                return last
            if secs == 0:
                time.sleep(min(1.0, max(0.0, deadline - time.monotonic())))

    def request_approval(
        self,
        subject_ref: str,
        *,
        payload: Optional[Mapping[str, Any]] = None,
        conversation_id: Optional[str] = None,
        subject_kind: str = "tool_call",
        approver_role: Optional[str] = None,
        suspend_message: Optional[str] = None,
        timeout_seconds: Optional[int] = None,
        response_schema: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        wait_timeout: Optional[float] = None,
    ) -> Decision:
        """Requests an approval and returns the decision. Calling again with the same
        ``idempotency_key`` finds the same approval instead of asking twice. Raises
        ``ApprovalExpiredError``, ``ApprovalCancelledError`` or ``WaitTimeoutError``."""
        key = idempotency_key or new_idempotency_key()
        if conversation_id is None:
            conversation_id = self.create_conversation(idempotency_key=f"{key}:conversation")["id"]
        body = _approval_body(
            conversation_id, subject_ref, subject_kind, payload, approver_role, suspend_message, timeout_seconds, response_schema
        )
        created = self.create_approval(body, idempotency_key=key)
        return decision_of(self.wait_for_approval(created["id"], timeout=wait_timeout))

    # --- handoffs ---------------------------------------------------------------------

    def handoff_to_human(
        self,
        packet: Packet,
        *,
        conversation_id: Optional[str] = None,
        source: str = "router",
        messages: Sequence[Mapping[str, str]] = (),
        assignee: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> HandoffRead:
        """A takeover (seed 000). Creates the conversation when none is given and appends
        ``messages`` (``{"author", "content"}``) first."""
        key = idempotency_key or new_idempotency_key()
        if conversation_id is None:
            conversation_id = self.create_conversation(idempotency_key=f"{key}:conversation")["id"]
        for i, m in enumerate(messages):
            self.post_message(conversation_id, m["author"], m["content"], idempotency_key=f"{key}:message:{i}")
        body: Dict[str, Any] = {"kind": "takeover", "conversation_id": conversation_id, "source": source, "packet": dict(packet)}
        if assignee is not None:
            body["assignee"] = assignee  # assigned at once; the answer's mobile_url is their signed link
        return self._post("/handoffs", body, key)

    def get_handoff(self, id: str) -> HandoffRead:
        return self._get(f"/handoffs/{_id(id)}")

    def list_handoffs(
        self,
        status: Optional[str] = None,
        kind: Optional[str] = None,
        q: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> Page:
        return self._get("/handoffs", _opt(status=status, kind=kind, q=q, limit=limit, cursor=cursor))

    def iter_handoffs(self, status: Optional[str] = None, kind: Optional[str] = None, q: Optional[str] = None, limit: Optional[int] = None) -> Iterator[HandoffRead]:
        cursor: Optional[str] = None
        while True:
            page = self.list_handoffs(status=status, kind=kind, q=q, limit=limit, cursor=cursor)
            yield from page["data"]
            cursor = page["next_cursor"]
            if not cursor:
                return

    def relay_message(self, handoff_id: str, content: str, *, idempotency_key: Optional[str] = None) -> MessageRead:
        """The operator's message relayed into the handoff's conversation."""
        return self._post(f"/handoffs/{_id(handoff_id)}/messages", {"content": content}, idempotency_key)

    def handoff_events(self, id: str) -> List[EventRead]:
        return self._get(f"/handoffs/{_id(id)}/events")

    def cancel_handoff(self, id: str, reason: Optional[str] = None) -> HandoffRead:
        return self._post(f"/handoffs/{_id(id)}/cancel", _opt(reason=reason))

    def hand_back(self, id: str, reason: Optional[str] = None) -> HandoffRead:
        return self._post(f"/handoffs/{_id(id)}/handback", _opt(reason=reason))

    def resolve_handoff(self, id: str) -> HandoffRead:
        return self._post(f"/handoffs/{_id(id)}/resolve")

    def resume_handoff(self, id: str) -> HandoffRead:
        """The agent resumed after a person helped (``resume_requested → resumed``)."""
        return self._post(f"/handoffs/{_id(id)}/resume")

    def complete_handoff(self, id: str, task_outcome: Optional[str] = None, reason: Optional[str] = None) -> HandoffRead:
        return self._post(f"/handoffs/{_id(id)}/complete", _opt(task_outcome=task_outcome, reason=reason))

    def fail_handoff(self, id: str, reason: Optional[str] = None) -> HandoffRead:
        return self._post(f"/handoffs/{_id(id)}/fail", _opt(reason=reason))

    def expire_handoff(self, id: str) -> HandoffRead:
        return self._post(f"/handoffs/{_id(id)}/expire")

    # --- assist handoffs --------------------------------------------------------------

    def create_assist(
        self,
        agent_id: str,
        interruption_type: str,
        domain: str,
        url: str,
        question: str,
        *,
        input: Optional[str] = None,
        capture: Optional[Capture] = None,
        timeout_seconds: Optional[int] = None,
        assignee: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> HandoffRead:
        """A browser agent is stuck: ``frozen`` with a capture, ``detected`` without.

        With ``assignee`` (an operator id or email; needs ``capture``) it is given to that
        operator at once (``opened``) and the answer's ``mobile_url`` is their signed
        single-use link to the phone page."""
        body = _assist_body(
            agent_id, interruption_type, domain, url, question, input, capture, timeout_seconds, assignee
        )
        return self._post("/handoffs", body, idempotency_key)

    def freeze_assist(self, id: str, capture: Capture) -> HandoffRead:
        return self._post(f"/handoffs/{_id(id)}/frozen", {"capture": capture})

    def post_frame(self, id: str, screenshot: str, viewport: Viewport) -> Dict[str, int]:
        return self._post(f"/handoffs/{_id(id)}/frames", {"screenshot": screenshot, "viewport": viewport})

    def poll_actions(self, id: str, after: int = 0, wait: int = 25) -> ActionsPage:
        wait = int(min(max(wait, 0), 25))
        return self.http.request(
            "GET", f"/handoffs/{_id(id)}/actions", query={"after": after, "wait": wait}, timeout=wait + 15
        ).data

    def assist_actions(self, id: str, *, after: int = 0, timeout: Optional[float] = None) -> Iterator[AssistAction]:
        """The operator's actions, in order, each once. Stops when the operator is done
        (``resume_requested``); raises ``AssistEndedError`` on expired, failed or cancelled."""
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        failures = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeoutError(f"assist handoff {id}: no resume before the wait ran out", id)
            started = time.monotonic()
            try:
                page = self.poll_actions(id, after=after, wait=int(min(25, left)))
            except (TapinApiError, TapinConnectionError) as e:
                if not _transient(e):
                    raise
                failures += 1
                time.sleep(min(self.http.backoff(failures, _retry_after(e)), max(0.0, deadline - time.monotonic())))
                continue
            failures = 0
            for action in page["actions"]:
                if action["seq"] <= after:
                    continue
                yield action
                after = action["seq"]
            if page["state"] in RESUME_STATES:
                return
            if page["state"] in ENDED_STATES:
                raise AssistEndedError(id, page["state"])
            # Before an operator opens it the server may answer at once: do not spin.
            if not page["actions"] and time.monotonic() - started < 0.5:
                time.sleep(1.0)


class AsyncTapin:
    """The asyncio client: the same methods as ``Tapin``, awaited."""

    def __init__(
        self,
        base_url: str,
        api_key: str,
        *,
        max_retries: int = 4,
        timeout: float = 30.0,
        max_backoff: float = 30.0,
        http_client: Optional[httpx.AsyncClient] = None,
    ) -> None:
        self.http = AsyncTransport(
            base_url, api_key, max_retries=max_retries, timeout=timeout, max_backoff=max_backoff, http_client=http_client
        )

    async def __aenter__(self) -> "AsyncTapin":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self.http.aclose()

    async def call(self, method: str, path: str, **kw: Any) -> Response:
        return await self.http.request(method, path, **kw)

    async def _get(self, path: str, query: Optional[Mapping[str, Any]] = None) -> Any:
        return (await self.http.request("GET", path, query=query)).data

    async def _post(self, path: str, body: Any = None, idempotency_key: Optional[str] = None) -> Any:
        res = await self.http.request(
            "POST", path, json={} if body is None else body, idempotency_key=idempotency_key or new_idempotency_key()
        )
        return res.data

    async def healthz(self) -> Any:
        return await self._get("/healthz")

    async def create_conversation(self, external_ref: Optional[str] = None, *, idempotency_key: Optional[str] = None) -> ConversationRead:
        return await self._post("/conversations", _opt(external_ref=external_ref), idempotency_key)

    async def get_conversation(self, id: str) -> ConversationRead:
        return await self._get(f"/conversations/{_id(id)}")

    async def post_message(self, conversation_id: str, author: str, content: str, *, idempotency_key: Optional[str] = None) -> MessageRead:
        return await self._post(f"/conversations/{_id(conversation_id)}/messages", {"author": author, "content": content}, idempotency_key)

    async def list_messages(self, conversation_id: str, since_seq: Optional[int] = None, limit: Optional[int] = None) -> MessageList:
        return await self._get(f"/conversations/{_id(conversation_id)}/messages", _opt(since_seq=since_seq, limit=limit))

    async def create_approval(self, body: Mapping[str, Any], *, idempotency_key: Optional[str] = None) -> ApprovalRead:
        return await self._post("/approvals", dict(body), idempotency_key)

    async def get_approval(self, id: str) -> ApprovalRead:
        return await self._get(f"/approvals/{_id(id)}")

    async def list_approvals(self, status: Optional[str] = None, limit: Optional[int] = None, cursor: Optional[str] = None) -> Page:
        return await self._get("/approvals", _opt(status=status, limit=limit, cursor=cursor))

    async def decide_approval(
        self,
        id: str,
        decision: str,
        *,
        note: Optional[str] = None,
        payload: Optional[Mapping[str, Any]] = None,
        answer: Any = None,
        idempotency_key: Optional[str] = None,
    ) -> ApprovalRead:
        body = _opt(decision=decision, note=note, payload=payload, answer=answer)
        return await self._post(f"/approvals/{_id(id)}/decide", body, idempotency_key)

    async def wait_for_approval(self, id: str, *, timeout: Optional[float] = None, poll_seconds: int = 25) -> ApprovalRead:
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        poll = min(max(poll_seconds, 1), 60)
        last: Optional[ApprovalRead] = None
        failures = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                status = last["status"] if last else "pending"
                raise WaitTimeoutError(f"approval {id} is still {status} after the wait", id, last)
            secs = int(max(0, min(poll, math.floor(left))))
            try:
                res: WaitResult = (
                    await self.http.request("GET", f"/approvals/{_id(id)}/wait", query={"timeout": secs}, timeout=secs + 15)
                ).data
            except (TapinApiError, TapinConnectionError) as e:
                if not _transient(e):
                    raise
                failures += 1
                await asyncio.sleep(min(self.http.backoff(failures, _retry_after(e)), max(0.0, deadline - time.monotonic())))
                continue
            failures = 0
            last = res["approval"]
            if res["decided"]:
                return last
            if secs == 0:
                await asyncio.sleep(min(1.0, max(0.0, deadline - time.monotonic())))

    async def request_approval(
        self,
        subject_ref: str,
        *,
        payload: Optional[Mapping[str, Any]] = None,
        conversation_id: Optional[str] = None,
        subject_kind: str = "tool_call",
        approver_role: Optional[str] = None,
        suspend_message: Optional[str] = None,
        timeout_seconds: Optional[int] = None,
        response_schema: Optional[Mapping[str, Any]] = None,
        idempotency_key: Optional[str] = None,
        wait_timeout: Optional[float] = None,
    ) -> Decision:
        key = idempotency_key or new_idempotency_key()
        if conversation_id is None:
            conversation_id = (await self.create_conversation(idempotency_key=f"{key}:conversation"))["id"]
        body = _approval_body(
            conversation_id, subject_ref, subject_kind, payload, approver_role, suspend_message, timeout_seconds, response_schema
        )
        created = await self.create_approval(body, idempotency_key=key)
        return decision_of(await self.wait_for_approval(created["id"], timeout=wait_timeout))

    async def handoff_to_human(
        self,
        packet: Packet,
        *,
        conversation_id: Optional[str] = None,
        source: str = "router",
        messages: Sequence[Mapping[str, str]] = (),
        assignee: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> HandoffRead:
        key = idempotency_key or new_idempotency_key()
        if conversation_id is None:
            conversation_id = (await self.create_conversation(idempotency_key=f"{key}:conversation"))["id"]
        for i, m in enumerate(messages):
            await self.post_message(conversation_id, m["author"], m["content"], idempotency_key=f"{key}:message:{i}")
        body: Dict[str, Any] = {"kind": "takeover", "conversation_id": conversation_id, "source": source, "packet": dict(packet)}
        if assignee is not None:
            body["assignee"] = assignee  # assigned at once; the answer's mobile_url is their signed link
        return await self._post("/handoffs", body, key)

    async def get_handoff(self, id: str) -> HandoffRead:
        return await self._get(f"/handoffs/{_id(id)}")

    async def list_handoffs(
        self,
        status: Optional[str] = None,
        kind: Optional[str] = None,
        q: Optional[str] = None,
        limit: Optional[int] = None,
        cursor: Optional[str] = None,
    ) -> Page:
        return await self._get("/handoffs", _opt(status=status, kind=kind, q=q, limit=limit, cursor=cursor))

    async def iter_handoffs(self, status: Optional[str] = None, kind: Optional[str] = None, q: Optional[str] = None, limit: Optional[int] = None) -> AsyncIterator[HandoffRead]:
        cursor: Optional[str] = None
        while True:
            page = await self.list_handoffs(status=status, kind=kind, q=q, limit=limit, cursor=cursor)
            for h in page["data"]:
                yield h
            cursor = page["next_cursor"]
            if not cursor:
                return

    async def relay_message(self, handoff_id: str, content: str, *, idempotency_key: Optional[str] = None) -> MessageRead:
        return await self._post(f"/handoffs/{_id(handoff_id)}/messages", {"content": content}, idempotency_key)

    async def handoff_events(self, id: str) -> List[EventRead]:
        return await self._get(f"/handoffs/{_id(id)}/events")

    async def cancel_handoff(self, id: str, reason: Optional[str] = None) -> HandoffRead:
        return await self._post(f"/handoffs/{_id(id)}/cancel", _opt(reason=reason))

    async def hand_back(self, id: str, reason: Optional[str] = None) -> HandoffRead:
        return await self._post(f"/handoffs/{_id(id)}/handback", _opt(reason=reason))

    async def resolve_handoff(self, id: str) -> HandoffRead:
        return await self._post(f"/handoffs/{_id(id)}/resolve")

    async def resume_handoff(self, id: str) -> HandoffRead:
        return await self._post(f"/handoffs/{_id(id)}/resume")

    async def complete_handoff(self, id: str, task_outcome: Optional[str] = None, reason: Optional[str] = None) -> HandoffRead:
        return await self._post(f"/handoffs/{_id(id)}/complete", _opt(task_outcome=task_outcome, reason=reason))

    async def fail_handoff(self, id: str, reason: Optional[str] = None) -> HandoffRead:
        return await self._post(f"/handoffs/{_id(id)}/fail", _opt(reason=reason))

    async def expire_handoff(self, id: str) -> HandoffRead:
        return await self._post(f"/handoffs/{_id(id)}/expire")

    async def create_assist(
        self,
        agent_id: str,
        interruption_type: str,
        domain: str,
        url: str,
        question: str,
        *,
        input: Optional[str] = None,
        capture: Optional[Capture] = None,
        timeout_seconds: Optional[int] = None,
        assignee: Optional[str] = None,
        idempotency_key: Optional[str] = None,
    ) -> HandoffRead:
        body = _assist_body(
            agent_id, interruption_type, domain, url, question, input, capture, timeout_seconds, assignee
        )
        return await self._post("/handoffs", body, idempotency_key)

    async def freeze_assist(self, id: str, capture: Capture) -> HandoffRead:
        return await self._post(f"/handoffs/{_id(id)}/frozen", {"capture": capture})

    async def post_frame(self, id: str, screenshot: str, viewport: Viewport) -> Dict[str, int]:
        return await self._post(f"/handoffs/{_id(id)}/frames", {"screenshot": screenshot, "viewport": viewport})

    async def poll_actions(self, id: str, after: int = 0, wait: int = 25) -> ActionsPage:
        wait = int(min(max(wait, 0), 25))
        res = await self.http.request(
            "GET", f"/handoffs/{_id(id)}/actions", query={"after": after, "wait": wait}, timeout=wait + 15
        )
        return cast(ActionsPage, res.data)

    async def assist_actions(self, id: str, *, after: int = 0, timeout: Optional[float] = None) -> AsyncIterator[AssistAction]:
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        failures = 0
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeoutError(f"assist handoff {id}: no resume before the wait ran out", id)
            started = time.monotonic()
            try:
                page = await self.poll_actions(id, after=after, wait=int(min(25, left)))
            except (TapinApiError, TapinConnectionError) as e:
                if not _transient(e):
                    raise
                failures += 1
                await asyncio.sleep(min(self.http.backoff(failures, _retry_after(e)), max(0.0, deadline - time.monotonic())))
                continue
            failures = 0
            for action in page["actions"]:
                if action["seq"] <= after:
                    continue
                yield action
                after = action["seq"]
            if page["state"] in RESUME_STATES:
                return
            if page["state"] in ENDED_STATES:
                raise AssistEndedError(id, page["state"])
            if not page["actions"] and time.monotonic() - started < 0.5:
                await asyncio.sleep(1.0)
