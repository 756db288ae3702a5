"""``wrap_page``: a Playwright page that asks a person for help when it hits a wall
(CAPTCHA, one-time code, approval modal), then carries on where it stopped.

After each wrapped navigation or action (``goto``, ``click``, ``fill``, ``press``,
``type``, ``check``, ``select_option``, …) and on ``checkpoint()``, the detectors look
at the page. On a match the wrapper creates an assist handoff with a screenshot, the
viewport and the page's URL, applies the operator's actions to the real page (click at
x,y, typed text, key presses), posts a new frame after each, and returns once the
operator is done (``resume_requested``), confirming with ``resume``. Expired, failed or
cancelled handoffs raise ``AssistEndedError``.

Works with both Playwright APIs: an ``AsyncTapin`` client with an async page (every
wrapped call is awaited), a ``Tapin`` client with a sync page.
"""

from __future__ import annotations

import base64
import inspect
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, List, Optional, Sequence, Union
from urllib.parse import urlparse

from .client import AsyncTapin, Tapin
from .errors import TapinApiError
from .types import AssistAction, HandoffRead

MAX_SCREENSHOT = 2 * 1024 * 1024
WRAPPED = {
    "goto", "click", "dblclick", "fill", "press", "type", "check", "select_option",
    "reload", "go_back", "go_forward",
}

_SHOWN = """
const shown = (el) => {
  const r = el.getBoundingClientRect();
  const s = getComputedStyle(el);
  return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
};
"""

_FRAME_JS = "([pattern, sel]) => {" + _SHOWN + """
  const re = new RegExp(pattern, 'i');
  if (Array.from(document.querySelectorAll('iframe')).some((f) => re.test(f.src) && shown(f))) return '';
  return Array.from(document.querySelectorAll(sel)).some(shown) ? '' : null;
}"""

_CODE_JS = "() => {" + _SHOWN + r"""
  const codeWords = /(one[-_ ]?time|\botp\b|\b2fa\b|\bmfa\b|two[-_ ]?factor|verification|verify|security[-_ ]?code|auth(entication)?[-_ ]?code|passcode|\bcode\b|^code|code$)/i;
  const notCodes = /(postal|zip|promo|coupon|discount|country|area|post[-_ ]?code|voucher|gift|referral)/i;
  for (const el of Array.from(document.querySelectorAll('input'))) {
    const type = (el.getAttribute('type') || 'text').toLowerCase();
    if (!['text', 'tel', 'number', 'password', 'search'].includes(type)) continue;
    if (el.disabled || el.readOnly || !shown(el)) continue;
    const labels = Array.from(el.labels || []).map((l) => l.textContent || '');
    const by = (el.getAttribute('aria-labelledby') || '').split(/\s+/)
      .map((id) => (id && document.getElementById(id) && document.getElementById(id).textContent) || '');
    const text = labels.concat(by).join(' ').trim();
    if ((el.getAttribute('autocomplete') || '').toLowerCase().includes('one-time-code')) return text || 'code';
    const names = [el.name, el.id, el.placeholder, el.getAttribute('aria-label') || '', text];
    if (names.some((n) => n && codeWords.test(n) && !notCodes.test(n))) return text || 'code';
  }
  return null;
}"""

_MODAL_JS = "(sel) => {" + _SHOWN + """
  return Array.from(document.querySelectorAll(sel)).some(shown) ? '' : null;
}"""


def _host(url: str) -> str:
    try:
        return urlparse(url).hostname or "unknown"
    except ValueError:
        return "unknown"


@dataclass(frozen=True)
class Detection:
    detector: str
    interruption_type: str
    input: str
    question: str
    """Shown to the operator."""


class Detector:
    """Looks at the page with one script; ``found`` turns its result into a Detection.

    Subclass and override ``detect`` (sync pages) / ``adetect`` (async pages) for
    detection that needs more than one script."""

    name = "detector"
    script = "() => null"

    def arg(self) -> Any:
        return None

    def frame_pattern(self) -> Optional[str]:
        return None

    def found(self, result: Any, url: str) -> Optional[Detection]:
        raise NotImplementedError

    def _frames_match(self, page: Any) -> bool:
        import re

        pattern = self.frame_pattern()
        if not pattern:
            return False
        rx = re.compile(pattern, re.I)
        return any(f != page.main_frame and rx.search(f.url) for f in page.frames)

    def detect(self, page: Any) -> Optional[Detection]:
        if self._frames_match(page):
            return self.found("", page.url)
        try:
            result = page.evaluate(self.script, self.arg())
        except Exception:  # a page mid-navigation: nothing to see yet
            return None
        return None if result is None else self.found(result, page.url)

    async def adetect(self, page: Any) -> Optional[Detection]:
        if self._frames_match(page):
            return self.found("", page.url)
        try:
            result = await page.evaluate(self.script, self.arg())
        except Exception:
            return None
        return None if result is None else self.found(result, page.url)


class _CaptchaFrame(Detector):
    script = _FRAME_JS

    def __init__(self, name: str, pattern: str, selector: str, label: str) -> None:
        self.name, self.pattern, self.selector, self.label = name, pattern, selector, label

    def arg(self) -> Any:
        return [self.pattern, self.selector]

    def frame_pattern(self) -> Optional[str]:
        return self.pattern

    def found(self, result: Any, url: str) -> Optional[Detection]:
        return Detection(self.name, "captcha", "none", f"Solve the {self.label} on {_host(url)} so the agent can go on.")


class _OneTimeCode(Detector):
    name = "one-time-code"
    script = _CODE_JS

    def found(self, result: Any, url: str) -> Optional[Detection]:
        label = str(result)
        host = _host(url)
        question = (
            f'{host} asks: "{label[:200]}". Type the code.'
            if label and label != "code"
            else f"Type the verification code {host} asks for."
        )
        return Detection(self.name, "twofa", "code", question)


class ApprovalModal(Detector):
    """A configurable selector for approval dialogs ("Allow access?", consent modals, …)."""

    name = "approval-modal"
    script = _MODAL_JS

    def __init__(self, selector: str, question: Optional[str] = None) -> None:
        self.selector, self.question = selector, question

    def arg(self) -> Any:
        return self.selector

    def found(self, result: Any, url: str) -> Optional[Detection]:
        return Detection(
            self.name,
            "approval_modal",
            "none",
            self.question or f"{_host(url)} shows a dialog that needs a person's answer.",
        )


recaptcha = _CaptchaFrame(
    "recaptcha", r"^https?://([a-z0-9-]+\.)*(google\.com|recaptcha\.net)/recaptcha/", ".g-recaptcha", "reCAPTCHA"
)
hcaptcha = _CaptchaFrame("hcaptcha", r"^https?://([a-z0-9-]+\.)*hcaptcha\.com/", ".h-captcha", "hCaptcha")
turnstile = _CaptchaFrame(
    "turnstile", r"^https?://challenges\.cloudflare\.com/", ".cf-turnstile", "Cloudflare Turnstile check"
)
one_time_code = _OneTimeCode()
DEFAULT_DETECTORS: List[Detector] = [recaptcha, hcaptcha, turnstile, one_time_code]


@dataclass
class AssistOutcome:
    """What a checkpoint did when a detector matched: the handoff the operator solved."""

    handoff: HandoffRead
    detection: Detection
    actions_applied: int


class _Base:
    def __init__(
        self,
        page: Any,
        client: Union[Tapin, AsyncTapin],
        detectors: Optional[Sequence[Detector]],
        agent_id: str,
        approval_modal_selector: Optional[str],
        timeout_seconds: Optional[int],
        wait_timeout: Optional[float],
        settle: float,
        on_handoff: Optional[Callable[..., Any]],
        on_action: Optional[Callable[..., Any]],
        assignee: Optional[str] = None,
    ) -> None:
        self.unwrapped = page
        self.client = client
        self.detectors = list(DEFAULT_DETECTORS if detectors is None else detectors)
        if approval_modal_selector:
            self.detectors.append(ApprovalModal(approval_modal_selector))
        self.agent_id = agent_id
        self.timeout_seconds = timeout_seconds
        self.wait_timeout = wait_timeout
        self.settle_ms = int(settle * 1000)
        self.on_handoff = on_handoff
        self.on_action = on_action
        self.assignee = assignee
        self.handoffs: List[HandoffRead] = []

    def _viewport(self, size: Optional[dict], fallback: dict) -> dict:
        vp = size or fallback
        return {"width": int(vp["width"]), "height": int(vp["height"])}

    def _assist_args(self, detection: Detection, url: str, capture: dict) -> dict:
        args: dict = {
            "agent_id": self.agent_id,
            "interruption_type": detection.interruption_type,
            "domain": _host(url),
            "url": url,
            "question": detection.question,
            "input": detection.input,
            "capture": capture,
        }
        if self.timeout_seconds is not None:
            args["timeout_seconds"] = self.timeout_seconds
        if self.assignee is not None:
            args["assignee"] = self.assignee
        return args


class SyncWrappedPage(_Base):
    """A sync Playwright page, wrapped; anything not wrapped goes to the page as is."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.unwrapped, name)
        if name in WRAPPED and callable(value):

            def wrapped(*args: Any, **kw: Any) -> Any:
                result = value(*args, **kw)
                self.checkpoint()
                return result

            return wrapped
        return value

    def _capture(self) -> dict:
        page = self.unwrapped
        shot = page.screenshot(type="png")
        if len(shot) > MAX_SCREENSHOT:
            shot = page.screenshot(type="jpeg", quality=60)
        fallback = page.evaluate("() => ({width: window.innerWidth, height: window.innerHeight})") if not page.viewport_size else {}
        return {"screenshot": base64.b64encode(shot).decode(), "viewport": self._viewport(page.viewport_size, fallback)}

    def _settle(self) -> None:
        page = self.unwrapped
        for state, wait in (("domcontentloaded", 0), ("load", self.settle_ms)):
            if wait:
                page.wait_for_timeout(wait)
            try:
                page.wait_for_load_state(state, timeout=10_000)
            except Exception:
                pass

    def _apply(self, action: AssistAction) -> None:
        page = self.unwrapped
        if action["type"] == "click":
            page.mouse.click(action["x"], action["y"])
        elif action["type"] == "text":
            page.keyboard.type(action["text"])
        elif action["type"] == "key":
            page.keyboard.press(action["key"])

    def checkpoint(self) -> Optional[AssistOutcome]:
        """Runs the detectors now; handles a match before returning."""
        try:
            self.unwrapped.wait_for_load_state("domcontentloaded")
        except Exception:
            pass
        for d in self.detectors:
            found = d.detect(self.unwrapped)
            if found:
                return self._handle(found)
        return None

    def _handle(self, detection: Detection) -> AssistOutcome:
        client = self.client
        assert isinstance(client, Tapin), "a sync page needs the sync Tapin client"
        url = self.unwrapped.url
        handoff = client.create_assist(**self._assist_args(detection, url, self._capture()))
        self.handoffs.append(handoff)
        if self.on_handoff:
            self.on_handoff(handoff, detection)
        applied = 0
        for action in client.assist_actions(handoff["id"], timeout=self.wait_timeout):
            self._apply(action)
            applied += 1
            self._settle()
            if self.on_action:
                self.on_action(action)
            frame = self._capture()
            try:
                client.post_frame(handoff["id"], frame["screenshot"], frame["viewport"])
            except TapinApiError as e:
                if e.status != 409:  # the operator finished meanwhile: no frame wanted
                    raise
        resumed = client.resume_handoff(handoff["id"])
        return AssistOutcome(resumed, detection, applied)


class AsyncWrappedPage(_Base):
    """An async Playwright page, wrapped; anything not wrapped goes to the page as is."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(self.unwrapped, name)
        if name in WRAPPED and callable(value):

            async def wrapped(*args: Any, **kw: Any) -> Any:
                result = await value(*args, **kw)
                await self.checkpoint()
                return result

            return wrapped
        return value

    async def _capture(self) -> dict:
        page = self.unwrapped
        shot = await page.screenshot(type="png")
        if len(shot) > MAX_SCREENSHOT:
            shot = await page.screenshot(type="jpeg", quality=60)
        fallback = (
            await page.evaluate("() => ({width: window.innerWidth, height: window.innerHeight})")
            if not page.viewport_size
            else {}
        )
        return {"screenshot": base64.b64encode(shot).decode(), "viewport": self._viewport(page.viewport_size, fallback)}

    async def _settle(self) -> None:
        page = self.unwrapped
        for state, wait in (("domcontentloaded", 0), ("load", self.settle_ms)):
            if wait:
                await page.wait_for_timeout(wait)
            try:
                await page.wait_for_load_state(state, timeout=10_000)
            except Exception:
                pass

    async def _apply(self, action: AssistAction) -> None:
        page = self.unwrapped
        if action["type"] == "click":
            await page.mouse.click(action["x"], action["y"])
        elif action["type"] == "text":
            await page.keyboard.type(action["text"])
        elif action["type"] == "key":
            await page.keyboard.press(action["key"])

    async def checkpoint(self) -> Optional[AssistOutcome]:
        """Runs the detectors now; handles a match before returning."""
        try:
            await self.unwrapped.wait_for_load_state("domcontentloaded")
        except Exception:
            pass
        for d in self.detectors:
            found = await d.adetect(self.unwrapped)
            if found:
                return await self._handle(found)
        return None

    async def _handle(self, detection: Detection) -> AssistOutcome:
        client = self.client
        assert isinstance(client, AsyncTapin), "an async page needs the AsyncTapin client"
        url = self.unwrapped.url
        handoff = await client.create_assist(**self._assist_args(detection, url, await self._capture()))
        self.handoffs.append(handoff)
        if self.on_handoff:
            r = self.on_handoff(handoff, detection)
            if inspect.isawaitable(r):
                await r
        applied = 0
        async for action in client.assist_actions(handoff["id"], timeout=self.wait_timeout):
            await self._apply(action)
            applied += 1
            await self._settle()
            if self.on_action:
                r = self.on_action(action)
                if inspect.isawaitable(r):
                    await r
            frame = await self._capture()
            try:
                await client.post_frame(handoff["id"], frame["screenshot"], frame["viewport"])
            except TapinApiError as e:
                if e.status != 409:
                    raise
        resumed = await client.resume_handoff(handoff["id"])
        return AssistOutcome(resumed, detection, applied)


def wrap_page(
    page: Any,
    *,
    client: Union[Tapin, AsyncTapin],
    detectors: Optional[Sequence[Detector]] = None,
    agent_id: str = "playwright-agent",
    approval_modal_selector: Optional[str] = None,
    timeout_seconds: Optional[int] = None,
    wait_timeout: Optional[float] = None,
    settle: float = 0.3,
    on_handoff: Optional[Callable[[HandoffRead, Detection], Union[None, Awaitable[None]]]] = None,
    on_action: Optional[Callable[[AssistAction], Union[None, Awaitable[None]]]] = None,
    assignee: Optional[str] = None,
) -> Any:
    """Wraps a Playwright page: ``AsyncTapin`` → ``AsyncWrappedPage``, ``Tapin`` → ``SyncWrappedPage``.

    ``assignee`` (an operator id or email): each assist handoff is given to that operator
    when created, and the handoff passed to ``on_handoff`` carries ``mobile_url``, their
    signed single-use link to the phone page (send it to them). ``on_handoff`` runs before
    the wrapper starts waiting for the operator's actions."""
    cls = AsyncWrappedPage if isinstance(client, AsyncTapin) else SyncWrappedPage
    return cls(
        page,
        client,
        detectors,
        agent_id,
        approval_modal_selector,
        timeout_seconds,
        wait_timeout,
        settle,
        on_handoff,
        on_action,
        assignee,
    )
