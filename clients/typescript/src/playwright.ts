// wrapPage: a Playwright page that asks a person for help when it hits a wall
// (CAPTCHA, one-time code, approval modal), then carries on where it stopped.
//
// After each wrapped navigation or action (`goto`, `click`, `fill`, `press`, `type`,
// `check`, `selectOption`) and on `checkpoint()`, the detectors look at the page. On a
// match the wrapper creates an assist handoff with a screenshot, the viewport and the
// page's URL, applies the operator's actions to the real page (click at x,y, typed
// text, key presses), posts a new frame after each, and returns once the operator is
// done (`resume_requested`), confirming with `resume`. Expired, failed or cancelled
// handoffs throw `AssistEndedError`.

import type { Page } from 'playwright-core';
import type { TapinClient } from './client.js';
import { TapinApiError } from './errors.js';
import type { AssistAction, AssistHandoff, AssistInput, InterruptionType, Viewport } from './types.js';

/** What a detector found on the page. */
export interface Detection {
  detector: string;
  interruptionType: InterruptionType;
  input: AssistInput;
  /** Shown to the operator. */
  question: string;
}

export interface Detector {
  name: string;
  detect(page: Page): Promise<Detection | null>;
}

export interface WrapOptions {
  client: TapinClient;
  /** Who is asking (shown to operators; default `playwright-agent`). */
  agentId?: string;
  /** Give each assist handoff at once to this operator (id or email). The handoff passed
   * to `onHandoff` then carries `mobile_url`, the operator's signed single-use link to
   * the phone page: send it to them. Without it, tapin's routing tells the operators. */
  assignee?: string;
  /** Default: reCAPTCHA, hCaptcha, Turnstile and one-time-code inputs. */
  detectors?: Detector[];
  /** Adds an approval-modal detector for this CSS selector. */
  approvalModalSelector?: string;
  /** Server-side lifetime of each assist handoff. */
  timeoutSeconds?: number;
  /** How long one handoff may take on this side before `WaitTimeoutError` (default none). */
  waitTimeoutMs?: number;
  /** Pause after an applied action before the new frame is taken (default 300 ms). */
  settleMs?: number;
  /** Called with each assist handoff once created (log it, page someone, send
   * `handoff.mobile_url` when `assignee` is set, …). The wrapper waits for it to return
   * before it starts waiting for the operator's actions. */
  onHandoff?: (handoff: AssistHandoff, detection: Detection) => void | Promise<void>;
  /** Called after each operator action was applied to the page. */
  onAction?: (action: AssistAction) => void | Promise<void>;
}

/** What `checkpoint()` did: nothing (null), or a handoff the operator solved. */
export interface AssistOutcome {
  handoff: AssistHandoff;
  detection: Detection;
  actionsApplied: number;
}

export interface WrapperMethods {
  /** Runs the detectors now; handles a match before returning. */
  checkpoint(): Promise<AssistOutcome | null>;
  /** The page without the wrapper. */
  readonly unwrapped: Page;
  /** The handoffs this wrapper created, in order. */
  readonly handoffs: AssistHandoff[];
}

export type WrappedPage = Page & WrapperMethods;

// ---- detectors ----------------------------------------------------------------------

function frameDetector(
  name: string,
  urlPattern: RegExp,
  selector: string,
  label: string,
): Detector {
  return {
    name,
    async detect(page) {
      const inFrames = page.frames().some((f) => f !== page.mainFrame() && urlPattern.test(f.url()));
      const inDom =
        inFrames ||
        (await page
          .evaluate(
            ([pattern, sel]) => {
              const re = new RegExp(pattern);
              const shown = (el: Element) => {
                const r = el.getBoundingClientRect();
                const s = getComputedStyle(el);
                return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
              };
              const frames = Array.from(document.querySelectorAll('iframe'));
              if (frames.some((f) => re.test(f.src) && shown(f))) return true;
              return Array.from(document.querySelectorAll(sel)).some(shown);
            },
            [urlPattern.source, selector] as const,
          )
          .catch(() => false));
      if (!inDom) return null;
      return {
        detector: name,
        interruptionType: 'captcha',
        input: 'none',
        question: `Solve the ${label} on ${hostOf(page.url())} so the agent can go on.`,
      };
    },
  };
}

export const recaptcha = frameDetector(
  'recaptcha',
  /^https?:\/\/([a-z0-9-]+\.)*(google\.com|recaptcha\.net)\/recaptcha\//i,
  '.g-recaptcha',
  'reCAPTCHA',
);
export const hcaptcha = frameDetector('hcaptcha', /^https?:\/\/([a-z0-9-]+\.)*hcaptcha\.com\//i, '.h-captcha', 'hCaptcha');
export const turnstile = frameDetector(
  'turnstile',
  /^https?:\/\/challenges\.cloudflare\.com\//i,
  '.cf-turnstile',
  'Cloudflare Turnstile check',
);

/** `autocomplete=one-time-code`, or an input named or labelled code / OTP / 2FA / verification code. */
export const oneTimeCode: Detector = {
  name: 'one-time-code',
  async detect(page) {
    const label = await page
      .evaluate(() => {
        const shown = (el: Element) => {
          const r = el.getBoundingClientRect();
          const s = getComputedStyle(el);
          return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
        };
        const codeWords =
          /(one[-_ ]?time|\botp\b|\b2fa\b|\bmfa\b|two[-_ ]?factor|verification|verify|security[-_ ]?code|auth(entication)?[-_ ]?code|passcode|\bcode\b|^code|code$)/i;
        const notCodes = /(postal|zip|promo|coupon|discount|country|area|post[-_ ]?code|voucher|gift|referral)/i;
        for (const el of Array.from(document.querySelectorAll('input'))) {
          const type = (el.getAttribute('type') || 'text').toLowerCase();
          if (!['text', 'tel', 'number', 'password', 'search'].includes(type)) continue;
          if (el.disabled || el.readOnly || !shown(el)) continue;
          const labels = Array.from(el.labels ?? []).map((l) => l.textContent ?? '');
          const describedBy = (el.getAttribute('aria-labelledby') ?? '')
            .split(/\s+/)
            .map((id) => (id && document.getElementById(id)?.textContent) || '');
          const text = labels.concat(describedBy).join(' ').trim();
          if ((el.getAttribute('autocomplete') ?? '').toLowerCase().includes('one-time-code')) return text || 'code';
          const names = [el.name, el.id, el.placeholder, el.getAttribute('aria-label') ?? '', text];
          if (names.some((n) => n && codeWords.test(n) && !notCodes.test(n))) return text || 'code';
        }
        return null;
      })
      .catch(() => null);
    if (label === null) return null;
    const host = hostOf(page.url());
    return {
      detector: 'one-time-code',
      interruptionType: 'twofa',
      input: 'code',
      question:
        label && label !== 'code'
          ? `${host} asks: "${label.slice(0, 200)}". Type the code.`
          : `Type the verification code ${host} asks for.`,
    };
  },
};

/** A configurable selector for approval dialogs ("Allow access?", consent modals, …). */
export function approvalModal(selector: string, question?: string): Detector {
  return {
    name: 'approval-modal',
    async detect(page) {
      const visible = await page
        .locator(selector)
        .first()
        .isVisible()
        .catch(() => false);
      if (!visible) return null;
      return {
        detector: 'approval-modal',
        interruptionType: 'approval_modal',
        input: 'none',
        question: question ?? `${hostOf(page.url())} shows a dialog that needs a person's answer.`,
      };
    },
  };
}

export const defaultDetectors: Detector[] = [recaptcha, hcaptcha, turnstile, oneTimeCode];

// ---- the wrapper --------------------------------------------------------------------

const WRAPPED_ACTIONS = new Set(['goto', 'click', 'dblclick', 'fill', 'press', 'type', 'check', 'selectOption', 'reload', 'goBack', 'goForward']);
const MAX_SCREENSHOT = 2 * 1024 * 1024;

export function wrapPage(page: Page, opts: WrapOptions): WrappedPage {
  const detectors = [...(opts.detectors ?? defaultDetectors)];
  if (opts.approvalModalSelector) detectors.push(approvalModal(opts.approvalModalSelector));
  const handoffs: AssistHandoff[] = [];
  const settleMs = opts.settleMs ?? 300;

  const settle = async () => {
    await page.waitForLoadState('domcontentloaded').catch(() => {});
    if (settleMs > 0) await page.waitForTimeout(settleMs).catch(() => {});
    await page.waitForLoadState('load', { timeout: 10_000 }).catch(() => {});
  };

  const capture = async (): Promise<{ screenshot: string; viewport: Viewport }> => {
    let shot = await page.screenshot({ type: 'png' });
    if (shot.length > MAX_SCREENSHOT) shot = await page.screenshot({ type: 'jpeg', quality: 60 });
    const vp =
      page.viewportSize() ??
      (await page.evaluate(() => ({ width: window.innerWidth, height: window.innerHeight })));
    return { screenshot: Buffer.from(shot).toString('base64'), viewport: { width: vp.width, height: vp.height } };
  };

  const apply = async (action: AssistAction) => {
    switch (action.type) {
      case 'click':
        await page.mouse.click(action.x, action.y);
        break;
      case 'text':
        await page.keyboard.type(action.text);
        break;
      case 'key':
        await page.keyboard.press(action.key);
        break;
      default:
        // An action this version does not know: skip it rather than guess.
        return;
    }
  };

  const handle = async (detection: Detection): Promise<AssistOutcome> => {
    const { client } = opts;
    const url = page.url();
    const handoff = await client.createAssist({
      agent_id: opts.agentId ?? 'playwright-agent',
      interruption_type: detection.interruptionType,
      domain: hostOf(url),
      url,
      question: detection.question,
      input: detection.input,
      capture: await capture(),
      ...(opts.timeoutSeconds !== undefined && { timeout_seconds: opts.timeoutSeconds }),
      ...(opts.assignee !== undefined && { assignee: opts.assignee }),
    });
    handoffs.push(handoff);
    await opts.onHandoff?.(handoff, detection);
    let applied = 0;
    const actions = client.assistActions(handoff.id, { timeoutMs: opts.waitTimeoutMs });
    for await (const action of actions) {
      await apply(action);
      applied++;
      await settle();
      await opts.onAction?.(action);
      try {
        await client.postFrame(handoff.id, await capture());
      } catch (e) {
        // The operator may have finished meanwhile: the frame is no longer wanted.
        if (!(e instanceof TapinApiError && e.status === 409)) throw e;
      }
    }
    const resumed = await client.resumeHandoff(handoff.id);
    return { handoff: resumed as AssistHandoff, detection, actionsApplied: applied };
  };

  const checkpoint = async (): Promise<AssistOutcome | null> => {
    await page.waitForLoadState('domcontentloaded').catch(() => {});
    for (const d of detectors) {
      const found = await d.detect(page);
      if (found) return handle(found);
    }
    return null;
  };

  const extra: WrapperMethods = {
    checkpoint,
    get unwrapped() {
      return page;
    },
    get handoffs() {
      return handoffs;
    },
  };

  return new Proxy(page, {
    get(target, prop, receiver) {
      if (prop === 'checkpoint' || prop === 'unwrapped' || prop === 'handoffs') {
        return extra[prop as keyof WrapperMethods];
      }
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (typeof prop === 'string' && WRAPPED_ACTIONS.has(prop)) {
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => unknown).apply(target, args);
          await checkpoint();
          return result;
        };
      }
      return (value as (...a: unknown[]) => unknown).bind(target);
    },
  }) as WrappedPage;
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname || 'unknown';
  } catch {
    return 'unknown';
  }
}
