import pytest

from tapin import AsyncTapin, Tapin, TapinApiError


def test_handoff_to_human_with_transcript_and_messages(tapin):
    with Tapin(tapin.base, tapin.agent_key) as agent:
        h = agent.handoff_to_human(
            {"static_text": "Double charge on order #4411", "reason": "Refund over my limit", "context_vars": {"order": "#4411"}},
            messages=[
                {"author": "user", "content": "I was charged twice."},
                {"author": "agent", "content": "Let me get someone who can refund it."},
            ],
        )
        assert h["kind"] == "takeover"
        assert h["status"] == "requested"
        assert h["packet"]["transcript_ptr"] == {"conversation_id": h["conversation_id"], "up_to_seq": 2}
        assert agent.get_handoff(h["id"])["id"] == h["id"]
        assert agent.get_conversation(h["conversation_id"])["status"] == "waiting_for_human"

        with pytest.raises(TapinApiError) as e:
            agent.post_message(h["conversation_id"], "agent", "still here")
        assert e.value.status == 409
        assert e.value.reason == "conversation_owned_by_human"

        agent.relay_message(h["id"], "Hi, I am Olivia from billing.")
        msgs = agent.list_messages(h["conversation_id"], since_seq=2)
        assert [(m["author"], m["content"]) for m in msgs["data"]] == [("operator", "Hi, I am Olivia from billing.")]
        assert msgs["last_seq"] == 3


async def test_async_list_iterate_and_idempotent_create(tapin):
    async with AsyncTapin(tapin.base, tapin.agent_key) as agent:
        ids = [(await agent.handoff_to_human({"static_text": f"list me {i}"}))["id"] for i in range(3)]
        first = await agent.list_handoffs(kind="takeover", limit=2)
        assert len(first["data"]) == 2 and first["next_cursor"]
        seen = [h["id"] async for h in agent.iter_handoffs(kind="takeover", limit=2)]
        assert seen[:3] == list(reversed(ids))

        a = await agent.handoff_to_human({"static_text": "exactly once"}, idempotency_key="takeover-run-42")
        b = await agent.handoff_to_human({"static_text": "exactly once"}, idempotency_key="takeover-run-42")
        assert a["id"] == b["id"] and a["conversation_id"] == b["conversation_id"]


def test_assigned_at_creation_answers_the_signed_link(tapin):
    with Tapin(tapin.base, tapin.agent_key) as agent:
        h = agent.handoff_to_human({"static_text": "for Olivia"}, assignee=tapin.operator_email)
        assert h["status"] == "assigned"
        assert f"/m/{h['id']}?t=" in (h.get("mobile_url") or "")


def test_cancel_gives_the_conversation_back(tapin):
    with Tapin(tapin.base, tapin.agent_key) as agent:
        h = agent.handoff_to_human({"static_text": "never mind"})
        assert agent.cancel_handoff(h["id"], "customer left")["status"] == "cancelled"
        assert agent.get_conversation(h["conversation_id"])["status"] == "active"
        assert [e["to_state"] for e in agent.handoff_events(h["id"])] == ["created", "cancelled"]
