"""The wrapper's side of the assist protocol against a stand-in server that plays the
operator (what it sends, in which order, what it does with the answers), with the sync
Playwright API. The same flow against a real tapin is in test_playwright.py."""

import base64
import json
import os
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import sync_playwright

from harness import CHROMIUM, CHROMIUM_ARGS, start_demo_site
from tapin import AssistEndedError, Tapin
from tapin.playwright import wrap_page


@pytest.fixture()
def stand_in():
    state = {"calls": [], "polls": []}

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def answer(self):
            url = urlparse(self.path)
            path = url.path.replace("/api/v1", "")
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            body = json.loads(raw) if raw else None
            state["calls"].append({"method": self.command, "path": path, "query": parse_qs(url.query), "body": body})
            frames = len([c for c in state["calls"] if c["path"].endswith("/frames")])
            if self.command == "POST" and path == "/handoffs":
                status, out = 201, {"id": "h1", "kind": "assist", "state": "frozen", "assist": {**body, "frame_seq": 0}}
            elif path == "/handoffs/h1/actions":
                status, out = 200, (state["polls"].pop(0) if state["polls"] else {"actions": [], "state": "expired"})
            elif path == "/handoffs/h1/frames":
                status, out = 201, {"frame_seq": frames}
            elif path == "/handoffs/h1/resume":
                status, out = 200, {"id": "h1", "kind": "assist", "state": "resumed"}
            else:
                status, out = 404, {"error": {"code": "not_found", "message": path, "fields": []}}
            data = json.dumps(out).encode()
            self.send_response(status)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = answer

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state["base"] = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


@pytest.fixture()
def site():
    s = start_demo_site()
    yield s
    s.stop()


def test_sync_wrapper_creates_applies_streams_and_resumes(stand_in, site):
    assert os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM}"
    with sync_playwright() as p, Tapin(stand_in["base"], "tk_test") as client:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1024, "height": 700})

        def on_handoff(h, detection):
            box = page.locator("#otp").bounding_box()
            stand_in["polls"] = [
                {
                    "actions": [
                        {"seq": 1, "type": "click", "x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2},
                        {"seq": 2, "type": "text", "text": site.code},
                    ],
                    "state": "solving",
                },
                {"actions": [{"seq": 3, "type": "key", "key": "Enter"}], "state": "solving"},
                {"actions": [], "state": "resume_requested"},
            ]

        wrapped = wrap_page(page, client=client, agent_id="agent_demo", on_handoff=on_handoff)
        wrapped.goto(f"{site.base}/login")
        wrapped.fill("#email", "agent@example.com")
        assert stand_in["calls"] == []
        wrapped.click("#signin")
        assert urlparse(page.url).path == "/success"

        calls = stand_in["calls"]
        create = calls[0]["body"]
        assert base64.b64decode(create["capture"]["screenshot"])[1:4] == b"PNG"
        create["capture"]["screenshot"] = "…"
        assert create == {
            "kind": "assist",
            "agent_id": "agent_demo",
            "interruption_type": "twofa",
            "domain": "localhost",
            "url": f"{site.base}/2fa",
            "question": 'localhost asks: "Verification code". Type the code.',
            "input": "code",
            "capture": {"screenshot": "…", "viewport": {"width": 1024, "height": 700}},
        }
        assert [c["query"]["after"][0] for c in calls if c["path"].endswith("/actions")] == ["0", "2", "3"]
        assert len([c for c in calls if c["path"].endswith("/frames")]) == 3
        assert calls[-1]["path"] == "/handoffs/h1/resume"
        assert len(wrapped.handoffs) == 1
        browser.close()


def test_expired_handoff_raises_assist_ended_error(stand_in, site):
    with sync_playwright() as p, Tapin(stand_in["base"], "tk_test") as client:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page()
        stand_in["polls"] = [{"actions": [], "state": "expired"}]
        wrapped = wrap_page(page, client=client)
        page.goto(f"{site.base}/login")
        page.click("#signin")
        with pytest.raises(AssistEndedError) as e:
            wrapped.checkpoint()
        assert e.value.state == "expired"
        assert not any(c["path"].endswith("/resume") for c in stand_in["calls"])
        browser.close()
