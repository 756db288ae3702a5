// The one place requests are made: auth, JSON, retries (network errors, 5xx, 429 with
// Retry-After), idempotency keys, and tapin's error envelope turned into TapinApiError.

import {
  RateLimitedError,
  TapinApiError,
  TapinConnectionError,
  type FieldError,
  type RateLimitInfo,
} from './errors.js';

export interface ClientOptions {
  /** tapin's base URL, such as `https://tapin.example.com` (no `/api/v1`). */
  baseUrl: string;
  /** An API key (`tk_…`). */
  apiKey: string;
  /** Retries after a network error, a 5xx or a 429 (default 4). */
  maxRetries?: number;
  /** Per-request timeout in milliseconds (default 30 000; long-polls add their wait). */
  timeoutMs?: number;
  /** Longest pause between retries, in milliseconds (default 30 000). */
  maxBackoffMs?: number;
  /** Another `fetch` (tests, proxies). */
  fetch?: typeof fetch;
  userAgent?: string;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | null>;
  body?: unknown;
  /** Sent as `Idempotency-Key`; the POST helpers always send one. */
  idempotencyKey?: string;
  timeoutMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface Response<T> {
  data: T;
  status: number;
  headers: Headers;
  rateLimit: RateLimitInfo;
  /** True when tapin replayed the first answer to this `Idempotency-Key`. */
  replayed: boolean;
}

export function newIdempotencyKey(): string {
  return globalThis.crypto.randomUUID();
}

export function rateLimitOf(headers: Headers): RateLimitInfo {
  const num = (name: string) => {
    const v = headers.get(name);
    if (v === null || v.trim() === '') return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  };
  return {
    limit: num('x-ratelimit-limit'),
    remaining: num('x-ratelimit-remaining'),
    reset: num('x-ratelimit-reset'),
    retryAfter: num('retry-after'),
  };
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      reject(signal!.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });

export class Http {
  readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly maxRetries: number;
  private readonly timeoutMs: number;
  private readonly maxBackoffMs: number;
  private readonly fetchImpl: typeof fetch;
  private readonly userAgent: string;

  constructor(opts: ClientOptions) {
    if (!opts.baseUrl) throw new TypeError('baseUrl is required');
    if (!opts.apiKey) throw new TypeError('apiKey is required');
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.apiKey = opts.apiKey;
    this.maxRetries = opts.maxRetries ?? 4;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
    this.fetchImpl = opts.fetch ?? globalThis.fetch.bind(globalThis);
    this.userAgent = opts.userAgent ?? 'tapin-client-ts/0.1';
  }

  url(path: string, query?: RequestOptions['query']): string {
    const u = new URL(`${this.baseUrl}/api/v1${path}`);
    for (const [k, v] of Object.entries(query ?? {})) {
      if (v !== undefined && v !== null) u.searchParams.set(k, String(v));
    }
    return u.toString();
  }

  /** Milliseconds to wait before retry number `attempt` (0-based), jittered. */
  backoff(attempt: number, retryAfterSeconds?: number): number {
    if (retryAfterSeconds !== undefined) return Math.min(retryAfterSeconds * 1000, this.maxBackoffMs);
    const base = Math.min(250 * 2 ** attempt, this.maxBackoffMs);
    return base / 2 + Math.random() * (base / 2);
  }

  async request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<Response<T>> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: 'application/json',
      'user-agent': this.userAgent,
      ...opts.headers,
    };
    let body: string | undefined;
    if (opts.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    if (opts.idempotencyKey) headers['idempotency-key'] = opts.idempotencyKey;
    // A POST is only repeated when tapin can recognise the repeat.
    const retryable = method === 'GET' || method === 'HEAD' || Boolean(opts.idempotencyKey);
    const url = this.url(path, opts.query);

    for (let attempt = 0; ; attempt++) {
      const lastTry = attempt >= this.maxRetries;
      const timeout = AbortSignal.timeout(opts.timeoutMs ?? this.timeoutMs);
      const signal = opts.signal ? AbortSignal.any([opts.signal, timeout]) : timeout;
      let res: globalThis.Response;
      try {
        res = await this.fetchImpl(url, { method, headers, body, signal });
      } catch (e) {
        if (opts.signal?.aborted) throw opts.signal.reason;
        if (!retryable || lastTry) {
          throw new TapinConnectionError(`${method} ${path}: ${(e as Error)?.message ?? e}`, e);
        }
        await sleep(this.backoff(attempt), opts.signal);
        continue;
      }
      const rateLimit = rateLimitOf(res.headers);
      const text = await res.text();
      let json: unknown = undefined;
      if (text) {
        try {
          json = JSON.parse(text);
        } catch {
          json = text;
        }
      }
      if (res.ok) {
        return {
          data: json as T,
          status: res.status,
          headers: res.headers,
          rateLimit,
          replayed: res.headers.get('idempotent-replayed') === 'true',
        };
      }
      const err = toApiError(res.status, json, res.headers, rateLimit);
      const again =
        res.status === 429 ||
        (retryable && res.status >= 500) ||
        (retryable && res.status === 409 && err.reason === 'idempotency_in_progress');
      if (!again || lastTry) throw err;
      await sleep(this.backoff(attempt, rateLimit.retryAfter), opts.signal);
    }
  }
}

export function toApiError(
  status: number,
  json: unknown,
  headers: Headers,
  rateLimit: RateLimitInfo,
): TapinApiError {
  const env = (json && typeof json === 'object' ? (json as { error?: unknown }).error : undefined) as
    | { code?: string; message?: string; fields?: FieldError[]; reason?: string }
    | undefined;
  const opts = {
    status,
    code: env?.code ?? `http_${status}`,
    message: env?.message ?? (typeof json === 'string' && json ? json : `HTTP ${status}`),
    fields: env?.fields ?? [],
    reason: env?.reason,
    requestId: headers.get('x-request-id') ?? undefined,
    rateLimit,
    body: json,
  };
  return status === 429 ? new RateLimitedError(opts) : new TapinApiError(opts);
}
