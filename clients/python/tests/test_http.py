"""Retries, seen from the server's side: a stand-in server that fails on purpose."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tapin import RateLimitedError, Tapin, TapinApiError, TapinConnectionError


@pytest.fixture()
def stand_in():
    state = {"script": [], "seen": []}

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def handle_one(self):
            n = int(self.headers.get("content-length") or 0)
            self.rfile.read(n)
            state["seen"].append({"path": self.path, "key": self.headers.get("idempotency-key"), "at": time.monotonic()})
            status, headers, body = (
                state["script"].pop(0) if state["script"] else (500, {}, {"error": {"code": "internal_error", "message": "out", "fields": []}})
            )
            raw = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            for k, v in headers.items():
                self.send_header(k, v)
            self.send_header("content-length", str(len(raw)))
            self.end_headers()
            self.wfile.write(raw)

        do_GET = do_POST = handle_one

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["base"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


def env(code, message, **extra):
    return {"error": {"code": code, "message": message, "fields": [], **extra}}


def test_create_survives_503_and_429_with_one_key_and_retry_after(stand_in):
    stand_in["script"] = [
        (503, {"retry-after": "0"}, env("unavailable", "busy")),
        (429, {"retry-after": "1", "x-ratelimit-limit": "200"}, env("rate_limited", "slow down")),
        (201, {}, {"id": "c1", "status": "active"}),
    ]
    with Tapin(stand_in["base"], "tk_test") as client:
        assert client.create_conversation()["id"] == "c1"
    seen = stand_in["seen"]
    assert len(seen) == 3
    assert seen[0]["key"] and all(s["key"] == seen[0]["key"] for s in seen)
    assert seen[2]["at"] - seen[1]["at"] >= 0.95


def test_429_past_the_retries_is_rate_limited_error(stand_in):
    stand_in["script"] = [(429, {"retry-after": "0", "x-ratelimit-limit": "5", "x-ratelimit-remaining": "0"}, env("rate_limited", "x"))] * 2
    with Tapin(stand_in["base"], "tk_test", max_retries=1) as client:
        with pytest.raises(RateLimitedError) as e:
            client.get_handoff("h1")
    assert e.value.rate_limit.limit == 5
    assert e.value.rate_limit.remaining == 0
    assert e.value.rate_limit.retry_after == 0


def test_4xx_is_not_retried(stand_in):
    stand_in["script"] = [(409, {}, env("conflict", "no", reason="invalid_transition"))]
    with Tapin(stand_in["base"], "tk_test") as client:
        with pytest.raises(TapinApiError) as e:
            client.resume_handoff("h1")
    assert e.value.reason == "invalid_transition"
    assert len(stand_in["seen"]) == 1


def test_wait_reconnects_after_502(stand_in):
    def approval(status):
        return {"id": "a1", "status": status, "payload": {}, "decision_note": None, "decided_by": "op", "next_node": None}

    stand_in["script"] = [
        (200, {}, {"decided": False, "approval": approval("pending")}),
        (502, {}, "bad gateway"),
        (200, {}, {"decided": True, "approval": approval("approved")}),
    ]
    with Tapin(stand_in["base"], "tk_test", max_retries=0) as client:
        assert client.wait_for_approval("a1", timeout=20)["status"] == "approved"
    assert len(stand_in["seen"]) == 3
    assert stand_in["seen"][0]["path"].startswith("/api/v1/approvals/a1/wait?timeout=")


def test_unreachable_server_is_connection_error():
    with Tapin("http://127.0.0.1:9", "tk_test", max_retries=1, max_backoff=0.01) as client:
        with pytest.raises(TapinConnectionError):
            client.get_handoff("h1")
