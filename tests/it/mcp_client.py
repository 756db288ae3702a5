"""tapin's /mcp driven by the official MCP Python SDK (`mcp` on PyPI).

Run by tests/it/mcp.rs against a live test server:

    python mcp_client.py <base_url> <agent_key> <read_only_key> <tapin_binary> <transcript.md>

It talks to the test over stdout: each `WAIT <what> <id>` line asks the test
(the operator) to act on that approval; the test answers by acting, and this
script's `wait_for_decision` call sees the result. Anything unexpected raises,
so the exit status is the verdict. Every request and answer is written to the
transcript (Markdown).
"""

import json
import sys

import anyio
import mcp_types as types
from mcp import Client, StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

BASE, AGENT_KEY, READ_KEY, TAPIN_BIN, TRANSCRIPT = sys.argv[1:6]
ENDPOINT = BASE.rstrip("/") + "/mcp"
EXPECTED_TOOLS = {
    "request_approval",
    "ask_human",
    "handoff_to_human",
    "get_status",
    "wait_for_decision",
    "post_message",
}

log: list[str] = []
FIRST: dict = {}  # the first approval, for the later sessions


def plain(value):
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def dump(value) -> str:
    return json.dumps(plain(value), indent=2, ensure_ascii=False)


def record(title: str, request, answer) -> None:
    log.append(f"### {title}\n\nRequest:\n\n```json\n{dump(request)}\n```\n\nAnswer:\n\n```json\n{dump(answer)}\n```\n")


def tell_operator(what: str, ident: str) -> None:
    print(f"WAIT {what} {ident}", flush=True)


def http_client(key: str, mode: str = "auto") -> Client:
    http = create_mcp_http_client(headers={"Authorization": f"Bearer {key}"})
    return Client(streamable_http_client(ENDPOINT, http_client=http), mode=mode)


async def call(client: Client, title: str, name: str, args: dict) -> types.CallToolResult:
    result = await client.call_tool(name, args)
    record(title, {"method": "tools/call", "params": {"name": name, "arguments": args}}, result)
    return result


def structured(result: types.CallToolResult) -> dict:
    assert not result.is_error, dump(result)
    assert result.structured_content is not None, dump(result)
    return result.structured_content


async def agent_session() -> None:
    async with http_client(AGENT_KEY) as client:
        record("Connect over Streamable HTTP", {"url": ENDPOINT, "headers": {"Authorization": "Bearer tk_…"}}, {
            "protocolVersion": client.protocol_version,
            "serverInfo": client.server_info,
            "instructions": client.instructions,
        })
        tools = await client.list_tools()
        record("List the tools", {"method": "tools/list"}, {"tools": [{"name": t.name, "description": t.description} for t in tools.tools]})
        names = {t.name for t in tools.tools}
        assert EXPECTED_TOOLS <= names, names
        for t in tools.tools:
            assert t.input_schema.get("type") == "object", t.name
            assert t.output_schema and t.output_schema.get("type") == "object", (t.name, t.output_schema)

        # An approval: pending at once; a short wait says "call again"; the operator approves.
        a = structured(await call(client, "Request an approval", "request_approval", {
            "subject": "refund.create",
            "payload": {"order": "A-1001", "amount": 120, "currency": "EUR"},
            "timeout_seconds": 3600,
            "suspend_message": "Checking your refund with the billing team.",
        }))
        assert a["status"] == "pending" and a["decided"] is False, a
        FIRST.update(a)
        w = structured(await call(client, "Wait briefly (nobody has decided yet)", "wait_for_decision", {"id": a["id"], "wait_seconds": 1}))
        assert w["status"] == "pending" and w["decided"] is False, w
        assert "call wait_for_decision" in w["next_step"], w
        tell_operator("approve", a["id"])
        w = structured(await call(client, "Wait for the decision (the operator approves meanwhile)", "wait_for_decision", {"id": a["id"], "wait_seconds": 50}))
        assert w["status"] == "approved" and w["decided"] is True, w
        assert w["decided_by"].startswith("operator:"), w

        s = structured(await call(client, "Read the status", "get_status", {"id": a["id"]}))
        assert s["status"] == "approved", s

        # A question with a typed answer: the operator first sends an invalid one (refused), then a valid one.
        q = structured(await call(client, "Ask a human, with a schema for the answer", "ask_human", {
            "question": "How many replacement units should we ship?",
            "response_schema": {"type": "integer", "minimum": 1, "maximum": 5, "description": "1 to 5 units"},
            "context": {"order": "A-1001"},
            "conversation_id": a["conversation_id"],
        }))
        assert q["status"] == "pending", q
        tell_operator("answer", q["id"])
        w = structured(await call(client, "Wait for the answer", "wait_for_decision", {"id": q["id"], "wait_seconds": 50}))
        assert w["status"] == "approved" and w["answer"] == 3, w

        # A bad schema is a tool error naming the field.
        bad = await call(client, "A response_schema that is not a JSON Schema", "ask_human", {
            "question": "Which colour?", "response_schema": {"type": 5},
        })
        assert bad.is_error and "response_schema" in bad.content[0].text, dump(bad)

        m = structured(await call(client, "Post a message to the conversation", "post_message", {
            "conversation_id": a["conversation_id"], "content": "Your refund is approved.",
        }))
        assert m["author"] == "agent" and m["seq"] >= 1, m

        templates = await client.list_resource_templates()
        record("List the resource templates", {"method": "resources/templates/list"}, templates)
        uris = {t.uri_template for t in templates.resource_templates}
        assert "tapin://handoffs/{id}" in uris and "tapin://handoffs/{id}/transcript" in uris, uris
        r = await client.read_resource(f"tapin://handoffs/{q['id']}")
        record("Read the question as a resource", {"method": "resources/read", "params": {"uri": f"tapin://handoffs/{q['id']}"}}, r)
        body = json.loads(r.contents[0].text)
        assert body["approval"]["answer"] == 3 and body["approval"]["subject_kind"] == "question", body
        r = await client.read_resource(f"tapin://handoffs/{a['id']}/transcript")
        record("Read the transcript", {"method": "resources/read", "params": {"uri": f"tapin://handoffs/{a['id']}/transcript"}}, r)
        messages = json.loads(r.contents[0].text)["messages"]
        assert messages[-1]["content"] == "Your refund is approved.", messages

        h = structured(await call(client, "Hand the conversation to a human", "handoff_to_human", {
            "packet": {"static_text": "The customer asks for a manager.", "reason": "Escalation requested", "context_vars": {"order": "A-1001"}},
        }))
        assert h["kind"] == "takeover" and h["status"] == "requested", h


async def url_elicitation_session() -> None:
    """A client that can show its user a URL (URL-mode elicitation, 2026-07-28): tapin
    hands it the approval's page, so the decision is made on tapin, not in the chat."""
    shown = []

    async def open_url(context, params):
        shown.append(params)
        record("tapin asks the client to show its user a URL (URL-mode elicitation)",
               {"method": "elicitation/create", "params": params}, {"action": "accept"})
        return types.ElicitResult(action="accept")

    http = create_mcp_http_client(headers={"Authorization": f"Bearer {AGENT_KEY}"})
    async with Client(streamable_http_client(ENDPOINT, http_client=http), elicitation_callback=open_url) as client:
        assert client.protocol_version >= "2026-07-28", client.protocol_version
        a = structured(await call(client, "Request an approval from a client that opens URLs", "request_approval", {
            "subject": "payout.send", "payload": {"amount": 900, "currency": "EUR"},
        }))
        assert a["status"] == "pending", a
        assert len(shown) == 1, shown
        page = shown[0]
        assert page.mode == "url" and page.url == f"{BASE.rstrip('/')}/m/{a['id']}", page
        assert "?t=" not in page.url and page.elicitation_id == a["id"], page
        tell_operator("approve", a["id"])
        w = structured(await call(client, "Wait for the decision made on tapin's page", "wait_for_decision", {"id": a["id"], "wait_seconds": 50}))
        assert w["status"] == "approved", w


async def legacy_session() -> None:
    """A client of the 2025 protocol (initialize handshake), as most clients are today."""
    async with http_client(AGENT_KEY, mode="legacy") as client:
        record("Connect with the initialize handshake (`mode=\"legacy\"`)", {"url": ENDPOINT}, {
            "protocolVersion": client.protocol_version,
        })
        assert client.protocol_version.startswith("2025-"), client.protocol_version
        s = structured(await call(client, "Handshake-era client: post a message", "post_message", {
            "conversation_id": FIRST["conversation_id"], "content": "Anything else I can do?",
        }))
        assert s["seq"] >= 2, s


async def read_only_session() -> None:
    async with http_client(READ_KEY) as client:
        r = await call(client, "A key without `approvals:write` asks for an approval", "request_approval", {"subject": "refund.create"})
        assert r.is_error, dump(r)
        assert "approvals:write" in r.content[0].text, dump(r)


async def stdio_session() -> None:
    """The same server through `tapin mcp`, as a stdio-only client (Claude Desktop) runs it."""
    params = StdioServerParameters(command=TAPIN_BIN, args=["mcp", "--url", BASE, "--key", AGENT_KEY])
    async with Client(params, mode="legacy") as client:
        record("Connect through `tapin mcp` (stdio)", {"command": "tapin mcp --url <base> --key tk_…"}, {
            "protocolVersion": client.protocol_version,
            "serverInfo": client.server_info,
        })
        tools = await client.list_tools()
        assert EXPECTED_TOOLS <= {t.name for t in tools.tools}
        q = structured(await call(client, "Through `tapin mcp` (stdio): ask a yes/no question", "ask_human", {
            "question": "Is the customer a VIP?", "response_schema": {"type": "boolean"},
        }))
        tell_operator("answer_yes", q["id"])
        w = structured(await call(client, "Through `tapin mcp`: wait for the answer", "wait_for_decision", {"id": q["id"], "wait_seconds": 50}))
        assert w["answer"] is True, w


async def main() -> None:
    await agent_session()
    await url_elicitation_session()
    await legacy_session()
    await read_only_session()
    await stdio_session()
    with open(TRANSCRIPT, "w", encoding="utf-8") as f:
        f.write("# MCP client transcript\n\n")
        f.write(
            "Recorded from a real run of `tests/it/mcp.rs`: the official MCP Python SDK "
            "(`mcp` on PyPI) against a tapin test server, while the test acts as the operator "
            "(it approves on the page's server function, answers the questions, and first "
            "tries an answer that does not match the schema, which is refused with a 422 naming "
            "`answer`). Ids and times differ on every run.\n\n"
        )
        f.write("\n".join(log))
    print("DONE", flush=True)


anyio.run(main)
