"""The Playwright wrapper in Debian's Chromium against a local demo site
(login → 2FA code page → success page) and a real tapin."""

import asyncio
import json
import os
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.async_api import async_playwright
from playwright.sync_api import sync_playwright

from harness import CHROMIUM, CHROMIUM_ARGS, start_demo_site
from tapin import AsyncTapin
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


_NEXT_FRAME_JS = """(prev) => {
  const img = document.querySelector('[data-testid="frame"]');
  return !!img && img.getAttribute('src') !== prev && img.complete && img.naturalWidth > 0;
}"""


def _seq(src: str) -> int:
    return int(parse_qs(urlparse(src).query)["seq"][0])


async def _next_frame(page, previous):
    """The frame's ``src`` once it differs from ``previous`` and the picture has loaded."""
    await page.wait_for_function(_NEXT_FRAME_JS, arg=previous, timeout=30_000)
    return await page.get_by_test_id("frame").get_attribute("src")


async def solve_on_phone(browser, link, target, agent_width, code):
    """The operator, as a person does it: a second browser at 360 px opens the signed link
    the handoff came with, taps the code box on the agent's frame, types the code and
    Enter, watches the agent's new frame arrive, then taps "Done — resume the agent".
    Returns the frames' ``src`` as the phone showed them and the final lease line."""
    ctx = await browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True, has_touch=True
    )
    try:
        page = await ctx.new_page()
        hid = urlparse(link).path.rsplit("/", 1)[-1]
        # A confirmation first (link previews do not consume it); opening signs the
        # operator in for this handoff and lands on the handoff page.
        await page.goto(link)
        await page.get_by_role("button", name="Open handoff").tap()
        await page.wait_for_url(lambda u: urlparse(u).path == f"/m/{hid}" and "problem=" not in urlparse(u).query)
        await page.locator('body[data-hydrated="true"]').wait_for(timeout=30_000)

        # The agent's screen, fitted to the phone.
        frame = page.get_by_test_id("frame")
        await frame.wait_for()
        srcs = [await _next_frame(page, None)]
        assert await page.evaluate("() => document.documentElement.scrollWidth") <= 360, "nothing scrolls sideways"
        shown = await frame.evaluate("(img) => img.clientWidth")
        assert 0 < shown <= 360, f"the frame is fitted to the phone ({shown} px)"

        # A tap on the picture is a click at the page's own coordinates (scaled back up).
        scale = shown / agent_width
        await frame.tap(position={"x": target["x"] * scale, "y": target["y"] * scale})
        srcs.append(await _next_frame(page, srcs[0]))

        # The code box and Enter: typed text then the key, in one action from the page.
        box = page.get_by_test_id("assist-text")
        assert await box.get_attribute("inputmode") == "numeric"
        assert await box.get_attribute("autocomplete") == "one-time-code"
        await box.fill(code)
        await page.get_by_test_id("assist-enter").tap()
        # The agent answers each action with a frame: after the text, then after Enter (the
        # page behind the code). Wait for the second.
        src = srcs[1]
        while _seq(src) < _seq(srcs[1]) + 2:
            src = await _next_frame(page, src)
        srcs.append(src)
        lease = page.get_by_test_id("lease")
        assert "only you can send actions" in (await lease.text_content() or "")

        await page.get_by_test_id("assist-done").tap()
        # The phone follows the handoff live: once the agent confirmed, the page says so.
        await lease.filter(has_text="The agent resumed").wait_for(timeout=60_000)
        return srcs, await lease.text_content()
    finally:
        await ctx.close()


async def test_wrapped_async_agent_gets_past_2fa_with_an_operator_on_a_phone(tapin, site):
    if not has_assist(tapin):
        pytest.skip("this tapin has no assist handoffs yet (no /api/v1/handoffs/{id}/actions)")
    async with async_playwright() as p:
        assert os.path.exists(CHROMIUM), f"no Chromium at {CHROMIUM}"
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1280, "height": 800})
        created = []
        phones = []

        async def on_handoff(h, detection):
            created.append(h)
            assert h.get("mobile_url"), "an assist created with an assignee carries their signed link"
            # Where the code box is on the agent's screen: the operator sees it on the frame.
            box = await page.locator("#otp").bounding_box()
            target = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
            phones.append(asyncio.ensure_future(
                solve_on_phone(browser, h["mobile_url"], target, page.viewport_size["width"], site.code)
            ))

        async with AsyncTapin(tapin.base, tapin.agent_key) as agent:
            wrapped = wrap_page(
                page, client=agent, agent_id="agent_outbound_demo", assignee=tapin.operator_email,
                timeout_seconds=600, wait_timeout=90, on_handoff=on_handoff,
            )
            await wrapped.goto(f"{site.base}/login")
            assert wrapped.handoffs == []
            await wrapped.fill("#email", "agent@example.com")
            await wrapped.fill("#password", "hunter2")
            # → 2FA page → assist handoff → the operator on the phone → resumed. A failure on
            # the phone fails the test at once rather than leaving the agent waiting.
            agent_task = asyncio.ensure_future(wrapped.click("#signin"))
            while not agent_task.done():  # (re-checked each second: the phone starts mid-call)
                await asyncio.wait([agent_task, *phones], timeout=1, return_when=asyncio.FIRST_COMPLETED)
                for f in phones:
                    if f.done() and f.exception():
                        agent_task.cancel()
                        raise f.exception()
            agent_task.result()
            assert urlparse(page.url).path == "/success"
            assert await page.text_content("#welcome") == "Welcome back, you are signed in."
            assert len(phones) == 1
            srcs, final_lease = await phones[0]

            h = created[0]
            assert h["kind"] == "assist" and h["state"] == "opened", "given to the operator at once"
            assert h["assist"]["interruption_type"] == "twofa"
            assert h["assist"]["input"] == "code"
            assert h["assist"]["domain"] == "localhost"
            assert h["assist"]["viewport"] == {"width": 1280, "height": 800}
            assert h["mobile_url"].startswith(f"{tapin.base}/m/{h['id']}?t=")
            # The phone saw the capture, the frame after the tap and the frame after the code.
            assert len(srcs) == 3
            assert "The agent resumed" in final_lease
            after = await agent.get_handoff(h["id"])
            assert after["state"] == "resumed"
            assert after["assignee"] == h["assignee"]
            assert after["assist"]["frame_seq"] >= 4, "a frame per action"
            assert (await agent.complete_handoff(h["id"], task_outcome="success"))["state"] == "completed"
        await browser.close()
