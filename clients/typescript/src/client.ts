// TapinClient: the agent API, with the waits done for the caller.

import {
  ApprovalCancelledError,
  ApprovalExpiredError,
  AssistEndedError,
  TapinApiError,
  TapinConnectionError,
  WaitTimeoutError,
} from './errors.js';
import { Http, newIdempotencyKey, type ClientOptions, type RequestOptions, type Response } from './http.js';
import type {
  ActionsPage,
  ApprovalRead,
  ApprovalSummary,
  AssistAction,
  AssistCreate,
  AssistHandoff,
  Capture,
  ConversationRead,
  CreateApproval,
  EventRead,
  HandoffRead,
  MessageList,
  MessageRead,
  PacketInput,
  Page,
  Source,
  Viewport,
  WaitResult,
} from './types.js';

export type { ClientOptions } from './http.js';

/** Options every create accepts. */
export interface CreateOptions {
  /** Reuse the same key when you retry a create yourself; one is made when omitted. */
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface RequestApprovalInput {
  /** The conversation that waits; a new one is created when omitted. */
  conversationId?: string;
  /** `tool_call` (default), `workflow_node` or `question`. */
  subjectKind?: CreateApproval['subject_kind'];
  /** What is being approved: a tool name, `workflow/node`, or the question. */
  subjectRef: string;
  payload?: Record<string, unknown>;
  approverRole?: string;
  suspendMessage?: string;
  /** Server-side timeout: the approval expires (reads as a deny) after it. */
  timeoutSeconds?: number;
  responseSchema?: Record<string, unknown>;
  /** Make a retried call find the same approval: one key per logical request. */
  idempotencyKey?: string;
  /** How long this call waits for the decision overall (default: no limit beyond the server's). */
  waitTimeoutMs?: number;
  signal?: AbortSignal;
}

/** What a person decided. */
export interface Decision {
  approved: boolean;
  /** `approved` or `denied`. */
  status: 'approved' | 'denied';
  note: string | null;
  /** The payload to act on: the approver's edit when there is one, else what was asked. */
  payload: Record<string, unknown>;
  /** The typed answer, for approvals with a `response_schema`. */
  answer: unknown;
  decidedBy: string | null;
  nextNode: string | null;
  approval: ApprovalRead;
}

export interface WaitOptions {
  /** Overall limit in milliseconds; `WaitTimeoutError` past it. Default: none. */
  timeoutMs?: number;
  /** Seconds each long-poll asks the server to hold (1–60, default 25). */
  pollSeconds?: number;
  signal?: AbortSignal;
}

export interface HandoffToHumanInput {
  /** The conversation to hand over; a new one is created when omitted. */
  conversationId?: string;
  /** `router` (default), `workflow_terminal`, `policy` or `operator`. */
  source?: Source;
  /** Seed 000's packet: `static_text` is required. */
  packet: PacketInput;
  /** Assign it at once to this operator (id or email); the answer's `mobile_url` is then their signed link. */
  assignee?: string;
  /** Transcript to append first (when the conversation is new, for example). */
  messages?: { author: 'user' | 'agent' | 'system'; content: string }[];
  idempotencyKey?: string;
  signal?: AbortSignal;
}

export interface ListHandoffsQuery {
  status?: string;
  kind?: string;
  q?: string;
  limit?: number;
  cursor?: string;
}

const now = () => Date.now();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class TapinClient {
  readonly http: Http;

  constructor(opts: ClientOptions) {
    this.http = new Http(opts);
  }

  /** A raw call for endpoints without a helper: `client.call('GET', '/handoffs/…')`. */
  async call<T = unknown>(method: string, path: string, opts?: RequestOptions): Promise<Response<T>> {
    return this.http.request<T>(method, path, opts);
  }

  private async get<T>(path: string, query?: RequestOptions['query'], signal?: AbortSignal) {
    return (await this.http.request<T>('GET', path, { query, signal })).data;
  }

  /** Every POST carries an Idempotency-Key, so a retry after a lost answer is safe. */
  private async post<T>(path: string, body?: unknown, opts: CreateOptions = {}) {
    return (
      await this.http.request<T>('POST', path, {
        body,
        idempotencyKey: opts.idempotencyKey ?? newIdempotencyKey(),
        signal: opts.signal,
      })
    ).data;
  }

  async healthz(): Promise<unknown> {
    return this.get('/healthz');
  }

  // --- conversations -------------------------------------------------------------

  async createConversation(input: { externalRef?: string } = {}, opts?: CreateOptions) {
    const body = input.externalRef === undefined ? {} : { external_ref: input.externalRef };
    return this.post<ConversationRead>('/conversations', body, opts);
  }

  async getConversation(id: string) {
    return this.get<ConversationRead>(`/conversations/${enc(id)}`);
  }

  async postMessage(
    conversationId: string,
    message: { author: 'user' | 'agent' | 'operator' | 'system'; content: string },
    opts?: CreateOptions,
  ) {
    return this.post<MessageRead>(`/conversations/${enc(conversationId)}/messages`, message, opts);
  }

  /** Messages with `seq > sinceSeq`, oldest first; pass `last_seq` next time. */
  async listMessages(conversationId: string, query: { sinceSeq?: number; limit?: number } = {}) {
    return this.get<MessageList>(`/conversations/${enc(conversationId)}/messages`, {
      since_seq: query.sinceSeq,
      limit: query.limit,
    });
  }

  // --- approvals -----------------------------------------------------------------

  async createApproval(body: CreateApproval, opts?: CreateOptions) {
    return this.post<ApprovalRead>('/approvals', body, opts);
  }

  async getApproval(id: string) {
    return this.get<ApprovalRead>(`/approvals/${enc(id)}`);
  }

  async listApprovals(query: { status?: string; limit?: number; cursor?: string } = {}) {
    return this.get<Page<ApprovalSummary>>('/approvals', query);
  }

  /** Decide an approval (a key with `approvals:decide` that did not request it). */
  async decideApproval(
    id: string,
    body: { decision: 'approve' | 'deny'; note?: string; payload?: Record<string, unknown>; answer?: unknown },
    opts?: CreateOptions,
  ) {
    return this.post<ApprovalRead>(`/approvals/${enc(id)}/decide`, body, opts);
  }

  /**
   * Waits until the approval is no longer pending: long-polls `/wait`, reconnecting
   * after network errors, 5xx and 429 (Retry-After), until `timeoutMs` runs out.
   */
  async waitForApproval(id: string, opts: WaitOptions = {}): Promise<ApprovalRead> {
    const deadline = opts.timeoutMs === undefined ? Infinity : now() + opts.timeoutMs;
    const poll = Math.min(Math.max(opts.pollSeconds ?? 25, 1), 60);
    let last: ApprovalRead | undefined;
    let failures = 0;
    for (;;) {
      const left = deadline - now();
      if (left <= 0) {
        throw new WaitTimeoutError(`approval ${id} is still ${last?.status ?? 'pending'} after the wait`, id, last);
      }
      const secs = Math.max(0, Math.min(poll, Math.floor(left / 1000)));
      try {
        const res = await this.http.request<WaitResult>('GET', `/approvals/${enc(id)}/wait`, {
          query: { timeout: secs },
          timeoutMs: secs * 1000 + 15_000,
          signal: opts.signal,
        });
        failures = 0;
        last = res.data.approval;
        if (res.data.decided) return last;
        if (secs === 0) await sleep(Math.min(1000, Math.max(0, deadline - now())));
      } catch (e) {
        // The request layer already retried; keep the wait alive while time is left.
        if (!isTransient(e) || opts.signal?.aborted) throw e;
        failures++;
        await sleep(Math.min(this.http.backoff(failures, retryAfterOf(e)), Math.max(0, deadline - now())));
      }
    }
  }

  /**
   * Requests an approval and returns the decision. Creates the conversation when none is
   * given; every create carries an idempotency key, so calling again with the same
   * `idempotencyKey` finds the same approval instead of asking twice.
   * Throws `ApprovalExpiredError`, `ApprovalCancelledError` or `WaitTimeoutError`.
   */
  async requestApproval(input: RequestApprovalInput): Promise<Decision> {
    const key = input.idempotencyKey ?? newIdempotencyKey();
    const conversationId =
      input.conversationId ??
      (await this.createConversation({}, { idempotencyKey: `${key}:conversation`, signal: input.signal })).id;
    const body: CreateApproval = {
      conversation_id: conversationId,
      subject_kind: input.subjectKind ?? 'tool_call',
      subject_ref: input.subjectRef,
      payload: input.payload ?? {},
      ...(input.approverRole !== undefined && { approver_role: input.approverRole }),
      ...(input.suspendMessage !== undefined && { suspend_message: input.suspendMessage }),
      ...(input.timeoutSeconds !== undefined && { timeout_seconds: input.timeoutSeconds }),
      // The document types a free-form schema object as {}: any JSON Schema object goes.
      ...(input.responseSchema !== undefined && {
        response_schema: input.responseSchema as CreateApproval['response_schema'],
      }),
    };
    const created = await this.createApproval(body, { idempotencyKey: key, signal: input.signal });
    const approval = await this.waitForApproval(created.id, { timeoutMs: input.waitTimeoutMs, signal: input.signal });
    return decisionOf(approval);
  }

  // --- handoffs ------------------------------------------------------------------

  /** A takeover (seed 000): the conversation goes to a person with the packet. */
  async handoffToHuman(input: HandoffToHumanInput): Promise<HandoffRead & { mobile_url?: string | null }> {
    const key = input.idempotencyKey ?? newIdempotencyKey();
    let conversationId = input.conversationId;
    if (!conversationId) {
      conversationId = (await this.createConversation({}, { idempotencyKey: `${key}:conversation`, signal: input.signal })).id;
    }
    for (const [i, m] of (input.messages ?? []).entries()) {
      await this.postMessage(conversationId, m, { idempotencyKey: `${key}:message:${i}`, signal: input.signal });
    }
    return this.post<HandoffRead & { mobile_url?: string | null }>(
      '/handoffs',
      {
        kind: 'takeover',
        conversation_id: conversationId,
        source: input.source ?? 'router',
        packet: input.packet,
        ...(input.assignee !== undefined && { assignee: input.assignee }),
      },
      { idempotencyKey: key, signal: input.signal },
    );
  }

  async getHandoff<T extends HandoffRead = HandoffRead>(id: string) {
    return this.get<T>(`/handoffs/${enc(id)}`);
  }

  async listHandoffs(query: ListHandoffsQuery = {}) {
    return this.get<Page<HandoffRead>>('/handoffs', { ...query });
  }

  /** Every handoff matching the query, page after page. */
  async *iterateHandoffs(query: Omit<ListHandoffsQuery, 'cursor'> = {}): AsyncGenerator<HandoffRead> {
    let cursor: string | undefined;
    do {
      const page = await this.listHandoffs({ ...query, cursor });
      yield* page.data;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  /** The operator's message relayed into the handoff's conversation. */
  async relayMessage(handoffId: string, content: string, opts?: CreateOptions) {
    return this.post<MessageRead>(`/handoffs/${enc(handoffId)}/messages`, { content }, opts);
  }

  async handoffEvents(id: string) {
    return this.get<EventRead[]>(`/handoffs/${enc(id)}/events`);
  }

  async cancelHandoff(id: string, reason?: string, opts?: CreateOptions) {
    return this.step(id, 'cancel', reason === undefined ? {} : { reason }, opts);
  }

  async handBack(id: string, reason?: string, opts?: CreateOptions) {
    return this.step(id, 'handback', reason === undefined ? {} : { reason }, opts);
  }

  async resolveHandoff(id: string, opts?: CreateOptions) {
    return this.step(id, 'resolve', undefined, opts);
  }

  /** The agent resumed after a person helped (`resume_requested → resumed`). */
  async resumeHandoff(id: string, opts?: CreateOptions) {
    return this.step(id, 'resume', {}, opts);
  }

  /** The agent finished the task (`completed`), with its outcome. */
  async completeHandoff(id: string, input: { taskOutcome?: string; reason?: string } = {}, opts?: CreateOptions) {
    const body: Record<string, string> = {};
    if (input.taskOutcome !== undefined) body.task_outcome = input.taskOutcome;
    if (input.reason !== undefined) body.reason = input.reason;
    return this.step(id, 'complete', body, opts);
  }

  /** The agent could not go on (`failed`). */
  async failHandoff(id: string, reason?: string, opts?: CreateOptions) {
    return this.step(id, 'fail', reason === undefined ? {} : { reason }, opts);
  }

  async expireHandoff(id: string, opts?: CreateOptions) {
    return this.step(id, 'expire', {}, opts);
  }

  private async step(id: string, name: string, body: unknown, opts?: CreateOptions) {
    return this.post<HandoffRead>(`/handoffs/${enc(id)}/${name}`, body, opts);
  }

  // --- assist handoffs -------------------------------------------------------------

  /** A browser agent is stuck: `frozen` with a capture, `detected` without. */
  async createAssist(input: AssistCreate, opts?: CreateOptions) {
    return this.post<AssistHandoff>('/handoffs', { kind: 'assist', ...input }, opts);
  }

  /** Attach the capture to a `detected` assist handoff (`→ frozen`). */
  async freezeAssist(id: string, capture: Capture, opts?: CreateOptions) {
    return this.post<AssistHandoff>(`/handoffs/${enc(id)}/frozen`, { capture }, opts);
  }

  /** A new frame after applying the operator's actions. */
  async postFrame(id: string, frame: { screenshot: string; viewport: Viewport }, opts?: CreateOptions) {
    return this.post<{ frame_seq: number }>(`/handoffs/${enc(id)}/frames`, frame, opts);
  }

  /** One long-poll for the operator's actions after `after` (which acknowledges ≤ after). */
  async pollActions(id: string, query: { after?: number; waitSeconds?: number } = {}, signal?: AbortSignal) {
    const wait = Math.min(Math.max(query.waitSeconds ?? 25, 0), 25);
    return (
      await this.http.request<ActionsPage>('GET', `/handoffs/${enc(id)}/actions`, {
        query: { after: query.after ?? 0, wait },
        timeoutMs: wait * 1000 + 15_000,
        signal,
      })
    ).data;
  }

  /**
   * The operator's actions, in order, each once. Ends (returns) when the operator is
   * done (`resume_requested`); throws `AssistEndedError` when the handoff expired,
   * failed or was cancelled, and `WaitTimeoutError` past `timeoutMs`.
   * `onBatch` runs after each delivered batch was consumed (post a frame there).
   */
  async *assistActions(
    id: string,
    opts: WaitOptions & { after?: number } = {},
  ): AsyncGenerator<AssistAction, string, void> {
    const deadline = opts.timeoutMs === undefined ? Infinity : now() + opts.timeoutMs;
    let after = opts.after ?? 0;
    let failures = 0;
    for (;;) {
      const left = deadline - now();
      if (left <= 0) throw new WaitTimeoutError(`assist handoff ${id}: no resume before the wait ran out`, id);
      const started = now();
      let page: ActionsPage;
      try {
        page = await this.pollActions(
          id,
          { after, waitSeconds: Math.min(opts.pollSeconds ?? 25, Math.floor(left / 1000)) },
          opts.signal,
        );
        failures = 0;
      } catch (e) {
        if (!isTransient(e) || opts.signal?.aborted) throw e;
        failures++;
        await sleep(Math.min(this.http.backoff(failures, retryAfterOf(e)), Math.max(0, deadline - now())));
        continue;
      }
      for (const action of page.actions) {
        if (action.seq <= after) continue;
        yield action;
        after = action.seq;
      }
      if (page.state === 'resume_requested' || page.state === 'resumed' || page.state === 'completed') {
        return page.state;
      }
      if (page.state === 'expired' || page.state === 'failed' || page.state === 'cancelled') {
        throw new AssistEndedError(id, page.state);
      }
      // Before an operator opens it the server may answer at once: do not spin.
      if (page.actions.length === 0 && now() - started < 500) await sleep(1000);
    }
  }
}

export function decisionOf(approval: ApprovalRead): Decision {
  if (approval.status === 'expired') throw new ApprovalExpiredError(approval);
  if (approval.status === 'cancelled') throw new ApprovalCancelledError(approval);
  if (approval.status !== 'approved' && approval.status !== 'denied') {
    throw new TypeError(`approval ${approval.id} is ${approval.status}, not decided`);
  }
  return {
    approved: approval.status === 'approved',
    status: approval.status,
    note: approval.decision_note ?? null,
    payload: (approval.decided_payload ?? approval.payload) as Record<string, unknown>,
    answer: approval.answer ?? null,
    decidedBy: approval.decided_by ?? null,
    nextNode: approval.next_node ?? null,
    approval,
  };
}

function enc(id: string) {
  return encodeURIComponent(id);
}

function isTransient(e: unknown): boolean {
  if (e instanceof TapinConnectionError) return true;
  if (e instanceof TapinApiError) return e.status === 429 || e.status >= 500;
  return false;
}

function retryAfterOf(e: unknown): number | undefined {
  return e instanceof TapinApiError ? e.rateLimit.retryAfter : undefined;
}
