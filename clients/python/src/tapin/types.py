"""The API's shapes as TypedDicts (from tapin's OpenAPI document, ``GET /api/v1/openapi.json``)."""

from __future__ import annotations

import sys
from typing import Any, Dict, List, Optional, Union

if sys.version_info >= (3, 11):
    from typing import Literal, NotRequired, TypedDict
else:  # pragma: no cover
    from typing_extensions import Literal, NotRequired, TypedDict


class TranscriptPtr(TypedDict):
    conversation_id: str
    up_to_seq: Optional[int]


class Packet(TypedDict, total=False):
    """Seed 000's packet: ``static_text`` is required, the rest optional."""

    static_text: str
    reason: Optional[str]
    summary: Optional[str]
    context_vars: Dict[str, Any]
    transfer_to: Optional[str]
    transfer_label: Optional[str]
    transcript_ptr: Optional[TranscriptPtr]


class Viewport(TypedDict):
    width: int
    height: int


class AssistView(TypedDict):
    agent_id: str
    interruption_type: str
    domain: str
    url: str
    question: str
    input: str
    frame_seq: int
    frame_at: NotRequired[Optional[str]]
    viewport: Optional[Viewport]
    action_seq: NotRequired[int]
    last_action_at: NotRequired[Optional[str]]
    lease_holder: NotRequired[Optional[str]]
    purged_at: NotRequired[Optional[str]]


class HandoffRead(TypedDict):
    id: str
    organization_id: str
    kind: str
    conversation_id: Optional[str]
    conv_turn_id: Optional[str]
    reason: Optional[str]
    static_text: str
    status: str
    state: str
    priority: str
    version: int
    assignee: Optional[str]
    source: str
    packet: Packet
    created_at: str
    updated_at: str
    resolved_at: Optional[str]
    assist: NotRequired[Optional[AssistView]]
    mobile_url: NotRequired[Optional[str]]


class ConversationRead(TypedDict):
    id: str
    organization_id: str
    external_ref: Optional[str]
    status: str
    termination_reason: Optional[str]
    status_reason: Optional[str]
    last_seq: int
    created_at: str
    updated_at: str


class MessageRead(TypedDict):
    id: str
    conversation_id: str
    seq: int
    author: str
    content: str
    created_at: str


class MessageList(TypedDict):
    data: List[MessageRead]
    last_seq: int


class ApprovalRead(TypedDict):
    id: str
    conversation_id: Optional[str]
    subject_kind: str
    subject_ref: str
    payload: Dict[str, Any]
    approver_role: Optional[str]
    suspend_message: Optional[str]
    timeout_at: Optional[str]
    status: str
    state: str
    decision_note: Optional[str]
    decided_by: Optional[str]
    decided_at: Optional[str]
    decided_payload: Optional[Dict[str, Any]]
    response_schema: Optional[Any]
    answer: Optional[Any]
    workflow_id: Optional[str]
    node_id: Optional[str]
    next_node: Optional[str]
    version: int
    created_at: str
    updated_at: str


class WaitResult(TypedDict):
    decided: bool
    approval: ApprovalRead


class EventRead(TypedDict):
    id: str
    seq: int
    handoff_id: str
    event: str
    from_state: Optional[str]
    to_state: str
    actor: str
    data: Any
    created_at: str
    hash: str


class Page(TypedDict):
    data: List[Any]
    next_cursor: Optional[str]


class Capture(TypedDict, total=False):
    screenshot: str
    """Base64 PNG or JPEG (at most 2 MiB decoded)."""
    viewport: Viewport
    dom_snapshot: str
    cookies: Any
    storage: Any


class ClickAction(TypedDict):
    seq: int
    type: Literal["click"]
    x: float
    y: float


class TextAction(TypedDict):
    seq: int
    type: Literal["text"]
    text: str


class KeyAction(TypedDict):
    seq: int
    type: Literal["key"]
    key: str


AssistAction = Union[ClickAction, TextAction, KeyAction]


class ActionsPage(TypedDict):
    actions: List[AssistAction]
    state: str


InterruptionType = Literal["captcha", "twofa", "approval_modal", "login", "other"]
AssistInput = Literal["code", "text", "none"]
