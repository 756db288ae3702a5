// Error types: every failure a caller may want to tell apart has its own class.

/** One field named by JSON path in tapin's error envelope. */
export interface FieldError {
  field: string;
  message: string;
}

/** Rate-limit headers tapin sends on every keyed response. */
export interface RateLimitInfo {
  limit?: number;
  remaining?: number;
  /** `X-RateLimit-Reset` as tapin sends it (Unix epoch seconds at which the budget is full again). */
  reset?: number;
  /** `Retry-After` (seconds), on 429 and 503. */
  retryAfter?: number;
}

/** Base class of every error this library throws. */
export class TapinError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** tapin answered with an error envelope (`{"error": {code, message, fields, reason?}}`). */
export class TapinApiError extends TapinError {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  readonly reason?: string;
  readonly requestId?: string;
  readonly rateLimit: RateLimitInfo;
  readonly body: unknown;

  constructor(opts: {
    status: number;
    code: string;
    message: string;
    fields?: FieldError[];
    reason?: string;
    requestId?: string;
    rateLimit?: RateLimitInfo;
    body?: unknown;
  }) {
    super(`${opts.status} ${opts.code}${opts.reason ? ` (${opts.reason})` : ''}: ${opts.message}`);
    this.status = opts.status;
    this.code = opts.code;
    this.fields = opts.fields ?? [];
    this.reason = opts.reason;
    this.requestId = opts.requestId;
    this.rateLimit = opts.rateLimit ?? {};
    this.body = opts.body;
  }
}

/** 429 after the retries allowed: `rateLimit.retryAfter` says when to try again. */
export class RateLimitedError extends TapinApiError {}

/** The server could not be reached (after the retries allowed). */
export class TapinConnectionError extends TapinError {
  readonly cause?: unknown;
  constructor(message: string, cause?: unknown) {
    super(message);
    this.cause = cause;
  }
}

/** A wait ran past the caller's overall timeout; the object is still open on the server. */
export class WaitTimeoutError extends TapinError {
  constructor(
    message: string,
    /** The approval or handoff id that is still waiting. */
    readonly id: string,
    /** The last state read from the server. */
    readonly lastSeen?: unknown,
  ) {
    super(message);
  }
}

/** The approval timed out on the server (`status: expired`); tapin routes it like a deny. */
export class ApprovalExpiredError extends TapinError {
  constructor(readonly approval: { id: string; status: string }) {
    super(`approval ${approval.id} expired before anyone decided it`);
  }
}

/** The approval was cancelled (withdrawn) before a decision. */
export class ApprovalCancelledError extends TapinError {
  constructor(readonly approval: { id: string; status: string }) {
    super(`approval ${approval.id} was cancelled before a decision`);
  }
}

/** An assist handoff ended without the operator solving it: `expired`, `failed` or `cancelled`. */
export class AssistEndedError extends TapinError {
  constructor(
    readonly handoffId: string,
    readonly state: string,
  ) {
    super(`assist handoff ${handoffId} ended as ${state} before the operator solved it`);
  }
}

/** A webhook delivery failed verification: do not process it. */
export class WebhookVerificationError extends TapinError {}
