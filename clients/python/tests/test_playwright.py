"""The Playwright wrapper in Debian's Chromium against a local demo site
(login → 2FA code page → success page) and a real tapin."""

import json
import os
import threading
import time
import urllib.request

import httpx
import pytest
from playwright.async_api import async_playwright
from playwright.sync_api import sync_playwright

from harness import CHROMIUM, CHROMIUM_ARGS, start_demo_site
from tapin import AsyncTapin, Tapin
from tapin.playwright import ApprovalModal, hcaptcha, one_time_code, recaptcha, turnstile, wrap_page



@pytest.fixture(scope="module")
def site():
    s = start_demo_site()
    yield s
    s.stop()


def launch(p):
    assert os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM} (apt-get install chromium, or set CHROMIUM_PATH)"
    return p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def test_detectors_sync(site):
    with sync_playwright() as p:
        browser = launch(p)
        page = browser.new_page(viewport={"width": 1280, "height": 800})
        page.goto(f"{site.base}/login")
        assert one_time_code.detect(page) is None
        page.fill("#email", "agent@example.com")
        page.fill("#password", "hunter2")
        page.click("#signin")
        page.wait_for_url("**/2fa")
        found = one_time_code.detect(page)
        assert found and found.interruption_type == "twofa" and found.input == "code"
        assert "Verification code" in found.question

        page.set_content('<label>Promo code <input name="promo_code"></label><input name="zip" placeholder="ZIP code">')
        assert one_time_code.detect(page) is None
        page.set_content('<input name="otp" style="display:none">')
        assert one_time_code.detect(page) is None

        # No internet here: the CAPTCHA hosts are answered locally.
        page.route("**/*", lambda r: r.fulfill(content_type="text/html", body="<p>challenge</p>") if "localhost" not in r.request.url else r.continue_())
        cases = [
            (recaptcha, "https://www.google.com/recaptcha/api2/anchor?k=x"),
            (hcaptcha, "https://newassets.hcaptcha.com/captcha/v1/abc/static/hcaptcha.html"),
            (turnstile, "https://challenges.cloudflare.com/cdn-cgi/challenge-platform/turnstile/if/ov2/"),
        ]
        for detector, src in cases:
            page.set_content(f'<iframe src="{src}" width="300" height="80"></iframe>')
            page.wait_for_load_state("load")
            assert detector.detect(page).interruption_type == "captcha", detector.name
            for other, _ in cases:
                if other is not detector:
                    assert other.detect(page) is None, f"{other.name} on {detector.name}"
        modal = ApprovalModal("#consent", "Allow the export?")
        page.set_content('<div id="consent" hidden>Allow?</div>')
        assert modal.detect(page) is None
        page.set_content('<div id="consent" role="dialog">Allow access? <button>Allow</button></div>')
        assert modal.detect(page).question == "Allow the export?"
        browser.close()


def has_assist(tapin) -> bool:
    with urllib.request.urlopen(f"{tapin.base}/api/v1/openapi.json") as r:
        return "/api/v1/handoffs/{id}/actions" in json.load(r)["paths"]


def operator_solve(tapin, handoff_id, actions):
    """The operator's side: seed 004's steps through the API (open, solving), then what the
    phone page's controls post with the operator's signed-in session (/fn/assist_act for a
    tap, typed text or a key, each once the agent answered the previous one with a frame;
    /fn/assist_done for "Done — resume the agent")."""
    with Tapin(tapin.base, tapin.admin_key) as op, httpx.Client(base_url=tapin.base) as phone:
        op.call("POST", f"/handoffs/{handoff_id}/open", json={"assignee": tapin.operator_email})
        op.call("POST", f"/handoffs/{handoff_id}/solving", json={"assignee": tapin.operator_email})
        signed_in = phone.post(
            "/fn/login",
            data={"organization": tapin.org, "email": tapin.operator_email, "password": tapin.operator_password},
        )
        assert any(c.startswith("tapin_session") or "tapin_session" in c for c in phone.cookies.keys()), signed_in.text
        for a in actions:
            before = op.get_handoff(handoff_id)["assist"]["frame_seq"]
            r = phone.post("/fn/assist_act", data={"id": handoff_id, **a}, headers={"accept": "application/json"})
            assert r.status_code == 200, r.text
            while op.get_handoff(handoff_id)["assist"]["frame_seq"] <= before:
                time.sleep(0.1)
        r = phone.post("/fn/assist_done", data={"id": handoff_id}, headers={"accept": "application/json"})
        assert r.status_code == 200, r.text


async def test_wrapped_async_agent_gets_past_2fa_with_an_operator(tapin, site):
    if not has_assist(tapin):
        pytest.skip("this tapin has no assist handoffs yet (no /api/v1/handoffs/{id}/actions)")
    async with async_playwright() as p:
        assert os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM}"
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        created = []
        threads = []

        async def on_handoff(h, detection):
            created.append(h)
            box = await page.locator("#otp").bounding_box()
            actions = [
                {"x": round(box["x"] + box["width"] / 2), "y": round(box["y"] + box["height"] / 2)},
                {"text": site.code},
                {"key": "Enter"},
            ]
            t = threading.Thread(target=operator_solve, args=(tapin, h["id"], actions), daemon=True)
            t.start()
            threads.append(t)

        async with AsyncTapin(tapin.base, tapin.agent_key) as agent:
            wrapped = wrap_page(page, client=agent, agent_id="agent_outbound_demo", timeout_seconds=600, wait_timeout=60, on_handoff=on_handoff)
            await wrapped.goto(f"{site.base}/login")
            assert wrapped.handoffs == []
            await wrapped.fill("#email", "agent@example.com")
            await wrapped.fill("#password", "hunter2")
            await wrapped.click("#signin")  # → 2FA page → assist handoff → operator → resumed
            for t in threads:
                t.join(30)

            h = created[0]
            assert h["kind"] == "assist" and h["state"] == "frozen"
            assert h["assist"]["interruption_type"] == "twofa"
            assert h["assist"]["input"] == "code"
            assert h["assist"]["domain"] == "localhost"
            assert h["assist"]["viewport"] == {"width": 1280, "height": 800}
            assert page.url.endswith("/success")
            assert await page.text_content("#welcome") == "Welcome back, you are signed in."
            after = await agent.get_handoff(h["id"])
            assert after["state"] == "resumed"
            assert after["assist"]["frame_seq"] >= 1
            assert (await agent.complete_handoff(h["id"], task_outcome="success"))["state"] == "completed"
        await browser.close()
