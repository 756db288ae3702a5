import asyncio
import threading
import time

import pytest

from tapin import (
    ApprovalExpiredError,
    AsyncTapin,
    Tapin,
    TapinApiError,
    WaitTimeoutError,
)


def decide_when_pending(tapin, subject_ref: str, decision: str, note: str) -> threading.Thread:
    """The approver acts once the approval shows up in the pending list, as an operator would."""

    def run() -> None:
        with Tapin(tapin.base, tapin.decider_key) as decider:
            while True:
                found = [a for a in decider.list_approvals(status="pending")["data"] if a["subject_ref"] == subject_ref]
                if found:
                    decider.decide_approval(found[0]["id"], decision, note=note)
                    return
                time.sleep(0.05)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


def test_request_approval_returns_the_decision_made_through_the_api(tapin):
    with Tapin(tapin.base, tapin.agent_key) as agent:
        t = decide_when_pending(tapin, "refund.create", "approve", "ok for this customer")
        d = agent.request_approval(
            "refund.create", payload={"amount": 120, "currency": "EUR"}, suspend_message="Checking with billing.", wait_timeout=60
        )
        t.join()
        assert d.approved is True
        assert d.status == "approved"
        assert d.note == "ok for this customer"
        assert d.payload == {"amount": 120, "currency": "EUR"}
        assert agent.get_approval(d.approval["id"])["status"] == "approved"


async def test_async_request_approval_deny(tapin):
    async with AsyncTapin(tapin.base, tapin.agent_key) as agent:
        t = decide_when_pending(tapin, "wire.send", "deny", "too large")
        d = await agent.request_approval("wire.send", payload={"amount": 99000}, wait_timeout=60)
        await asyncio.to_thread(t.join)
        assert d.approved is False
        assert d.status == "denied"
        assert d.note == "too large"


def test_same_idempotency_key_finds_the_same_approval(tapin):
    with Tapin(tapin.base, tapin.agent_key) as agent:
        conv = agent.create_conversation()
        body = {"conversation_id": conv["id"], "subject_kind": "tool_call", "subject_ref": "account.close", "payload": {"a": 1}}
        first = agent.call("POST", "/approvals", json=body, idempotency_key="close-A-1")
        again = agent.call("POST", "/approvals", json=body, idempotency_key="close-A-1")
        assert first.status == 201 and not first.replayed
        assert again.replayed
        assert again.data["id"] == first.data["id"]
        pending = agent.list_approvals(status="pending")["data"]
        assert len([a for a in pending if a["subject_ref"] == "account.close"]) == 1

        t = decide_when_pending(tapin, "keys.rotate", "approve", "go")
        one = agent.request_approval("keys.rotate", idempotency_key="rotate-run-7", wait_timeout=60)
        t.join()
        two = agent.request_approval("keys.rotate", idempotency_key="rotate-run-7", wait_timeout=60)
        assert two.approval["id"] == one.approval["id"]
        assert two.approved


def test_overall_timeout_is_a_wait_timeout_error(tapin):
    with Tapin(tapin.base, tapin.agent_key) as agent:
        with pytest.raises(WaitTimeoutError) as e:
            agent.request_approval("slow.tool", wait_timeout=1.5)
        assert agent.get_approval(e.value.id)["status"] == "pending"


async def test_server_expiry_is_an_approval_expired_error(tapin):
    async with AsyncTapin(tapin.base, tapin.agent_key) as agent:
        with pytest.raises(ApprovalExpiredError) as e:
            await agent.request_approval("expiring.tool", timeout_seconds=1, wait_timeout=30)
        assert e.value.approval["status"] == "expired"


def test_errors_carry_the_envelope(tapin):
    with Tapin(tapin.base, tapin.agent_key) as agent:
        with pytest.raises(TapinApiError) as e:
            agent.create_approval({"conversation_id": "nope", "subject_kind": "tool_call", "subject_ref": "x"})
        err = e.value
        assert err.status == 422
        assert err.code == "bad_request"
        assert err.fields[0].field == "conversation_id"
        assert err.request_id
        assert err.rate_limit.limit and err.rate_limit.limit > 0


def test_the_key_that_asked_cannot_decide(tapin):
    with Tapin(tapin.base, tapin.admin_key) as admin:
        conv = admin.create_conversation()
        a = admin.create_approval({"conversation_id": conv["id"], "subject_kind": "tool_call", "subject_ref": "self.check"})
        with pytest.raises(TapinApiError) as e:
            admin.decide_approval(a["id"], "approve")
        assert e.value.status == 403
        assert e.value.reason == "self_approval"
