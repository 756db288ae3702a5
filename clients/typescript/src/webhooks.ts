// Standard Webhooks (1.0, symmetric v1) verification of tapin's deliveries
// (docs/webhooks.md): HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<raw body>",
// keyed with the base64 after `whsec_`, compared in constant time.

import { createHmac, timingSafeEqual } from 'node:crypto';
import { WebhookVerificationError } from './errors.js';

export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Largest distance between `webhook-timestamp` and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** The receiver's clock, Unix seconds (tests). */
  now?: number;
}

/** The HMAC key of a `whsec_…` secret (the base64 after the prefix). */
export function secretKey(secret: string): Buffer {
  const b64 = secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret;
  const key = Buffer.from(b64, 'base64');
  if (key.length === 0) throw new WebhookVerificationError('the webhook secret is empty or not base64');
  return key;
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  for (const [k, v] of Object.entries(headers as Record<string, string | string[] | undefined>)) {
    if (k.toLowerCase() === name) return Array.isArray(v) ? v.join(' ') : v;
  }
  return undefined;
}

/** `v1,<base64>` for a body (what tapin sends; for tests and for replaying fixtures). */
export function sign(secret: string, id: string, timestamp: number | string, body: string | Uint8Array): string {
  const mac = createHmac('sha256', secretKey(secret));
  mac.update(`${id}.${timestamp}.`);
  mac.update(typeof body === 'string' ? Buffer.from(body, 'utf8') : body);
  return `v1,${mac.digest('base64')}`;
}

/**
 * Verifies a delivery over its raw body and returns the parsed payload. `secrets` may
 * hold several (old and new during a rotation): any one matching any `v1` signature
 * in the header is enough. Throws `WebhookVerificationError` otherwise.
 */
export function verifyWebhook<T = unknown>(
  secrets: string | string[],
  rawBody: string | Uint8Array,
  headers: HeaderBag,
  opts: VerifyOptions = {},
): T {
  const id = header(headers, 'webhook-id');
  const ts = header(headers, 'webhook-timestamp');
  const sigHeader = header(headers, 'webhook-signature');
  if (!id || !ts || !sigHeader) {
    throw new WebhookVerificationError('missing webhook-id, webhook-timestamp or webhook-signature');
  }
  if (!/^\d{1,12}$/.test(ts.trim())) throw new WebhookVerificationError('webhook-timestamp is not Unix seconds');
  const timestamp = Number(ts.trim());
  const nowSecs = opts.now ?? Math.floor(Date.now() / 1000);
  const tolerance = opts.toleranceSeconds ?? 300;
  if (timestamp < nowSecs - tolerance) throw new WebhookVerificationError('webhook-timestamp is too old');
  if (timestamp > nowSecs + tolerance) throw new WebhookVerificationError('webhook-timestamp is in the future');

  const given = sigHeader
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .map((s) => Buffer.from(s.slice(3), 'base64'));
  if (given.length === 0) throw new WebhookVerificationError('no v1 signature in webhook-signature');
  const body = typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : Buffer.from(rawBody);
  let ok = false;
  for (const secret of Array.isArray(secrets) ? secrets : [secrets]) {
    const expected = Buffer.from(sign(secret, id, ts.trim(), body).slice(3), 'base64');
    for (const g of given) {
      // Every pair is compared (no early exit) and in constant time.
      if (g.length === expected.length && timingSafeEqual(g, expected)) ok = true;
    }
  }
  if (!ok) throw new WebhookVerificationError('no signature matches');
  try {
    return JSON.parse(body.toString('utf8')) as T;
  } catch {
    throw new WebhookVerificationError('the body is not JSON');
  }
}

/** The same as `verifyWebhook`, holding the secret(s). */
export class Webhook {
  private readonly secrets: string[];
  constructor(secrets: string | string[]) {
    this.secrets = Array.isArray(secrets) ? secrets : [secrets];
    this.secrets.forEach(secretKey); // fail early on a malformed secret
  }
  verify<T = unknown>(rawBody: string | Uint8Array, headers: HeaderBag, opts?: VerifyOptions): T {
    return verifyWebhook<T>(this.secrets, rawBody, headers, opts);
  }
}
