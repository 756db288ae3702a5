// Retries, seen from the server's side: a stand-in server that fails on purpose.
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { RateLimitedError, TapinApiError, TapinClient, TapinConnectionError } from '../src/index.js';

describe('requests: retries, Retry-After, idempotency keys', () => {
  let server: http.Server;
  let base: string;
  let script: { status: number; headers?: Record<string, string>; body: unknown }[] = [];
  let seen: { method: string; url: string; key?: string; at: number }[] = [];

  before(async () => {
    server = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, key: req.headers['idempotency-key'] as string, at: Date.now() });
        const next = script.shift() ?? { status: 500, body: { error: { code: 'internal_error', message: 'script ran out', fields: [] } } };
        res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers });
        res.end(JSON.stringify(next.body));
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  const envelope = (code: string, message: string) => ({ error: { code, message, fields: [] } });

  it('a create survives a 503 and a 429, keeps its Idempotency-Key and honours Retry-After', async () => {
    seen = [];
    script = [
      { status: 503, headers: { 'retry-after': '0' }, body: envelope('unavailable', 'busy') },
      { status: 429, headers: { 'retry-after': '1', 'x-ratelimit-limit': '200' }, body: envelope('rate_limited', 'slow down') },
      { status: 201, body: { id: 'c1', status: 'active' } },
    ];
    const client = new TapinClient({ baseUrl: base, apiKey: 'tk_test' });
    const conv = await client.createConversation();
    assert.equal(conv.id, 'c1');
    assert.equal(seen.length, 3);
    assert.ok(seen[0].key && seen.every((s) => s.key === seen[0].key), 'one key for every attempt');
    assert.ok(seen[2].at - seen[1].at >= 950, 'waited for Retry-After');
  });

  it('a 429 past the retries is a RateLimitedError with the rate-limit info', async () => {
    script = [0, 1].map(() => ({
      status: 429,
      headers: { 'retry-after': '0', 'x-ratelimit-limit': '5', 'x-ratelimit-remaining': '0' },
      body: envelope('rate_limited', 'slow down'),
    }));
    const client = new TapinClient({ baseUrl: base, apiKey: 'tk_test', maxRetries: 1 });
    const err = await client.getHandoff('h1').catch((e: unknown) => e);
    assert.ok(err instanceof RateLimitedError);
    assert.equal(err.rateLimit.limit, 5);
    assert.equal(err.rateLimit.remaining, 0);
    assert.equal(err.rateLimit.retryAfter, 0);
  });

  it('a 4xx is not retried and keeps the envelope', async () => {
    seen = [];
    script = [{ status: 409, body: { error: { code: 'conflict', message: 'no', fields: [], reason: 'invalid_transition' } } }];
    const client = new TapinClient({ baseUrl: base, apiKey: 'tk_test' });
    const err = await client.resumeHandoff('h1').catch((e: unknown) => e);
    assert.ok(err instanceof TapinApiError);
    assert.equal(err.reason, 'invalid_transition');
    assert.equal(seen.length, 1);
  });

  it('the approval wait reconnects after a 502 and answers the decision', async () => {
    seen = [];
    const approval = (status: string) => ({ id: 'a1', status, payload: {}, decision_note: null, decided_by: 'op', next_node: null });
    script = [
      { status: 200, body: { decided: false, approval: approval('pending') } },
      { status: 502, body: 'bad gateway' },
      { status: 200, body: { decided: true, approval: approval('approved') } },
    ];
    const client = new TapinClient({ baseUrl: base, apiKey: 'tk_test', maxRetries: 0 });
    const a = await client.waitForApproval('a1', { timeoutMs: 20_000 });
    assert.equal(a.status, 'approved');
    assert.equal(seen.length, 3);
    assert.match(seen[0].url, /\/api\/v1\/approvals\/a1\/wait\?timeout=\d+/);
  });

  it('an unreachable server is a TapinConnectionError', async () => {
    const client = new TapinClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'tk_test', maxRetries: 1, maxBackoffMs: 10 });
    const err = await client.getHandoff('h1').catch((e: unknown) => e);
    assert.ok(err instanceof TapinConnectionError, String(err));
  });
});
