import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ApprovalExpiredError,
  TapinApiError,
  TapinClient,
  WaitTimeoutError,
  type ApprovalRead,
} from '../src/index.js';
import { startTapin, type Tapin } from './harness.js';

describe('approvals against a real tapin', () => {
  let tapin: Tapin;
  let agent: TapinClient;
  let decider: TapinClient;

  before(async () => {
    tapin = await startTapin();
    agent = new TapinClient({ baseUrl: tapin.base, apiKey: tapin.agentKey });
    decider = new TapinClient({ baseUrl: tapin.base, apiKey: tapin.deciderKey });
  });
  after(() => tapin?.stop());

  // The approver acts once the approval shows up in the pending list, as an operator would.
  async function decideWhenPending(subjectRef: string, decision: 'approve' | 'deny', note: string) {
    for (;;) {
      const page = await decider.listApprovals({ status: 'pending' });
      const found = page.data.find((a) => a.subject_ref === subjectRef);
      if (found) return decider.decideApproval(found.id, { decision, note });
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  it('requestApproval returns the decision made through the REST API', async () => {
    const [decision, decided] = await Promise.all([
      agent.requestApproval({
        subjectRef: 'refund.create',
        payload: { amount: 120, currency: 'EUR' },
        suspendMessage: 'Checking with billing.',
        waitTimeoutMs: 60_000,
      }),
      decideWhenPending('refund.create', 'approve', 'ok for this customer'),
    ]);
    assert.equal(decision.approved, true);
    assert.equal(decision.status, 'approved');
    assert.equal(decision.note, 'ok for this customer');
    assert.deepEqual(decision.payload, { amount: 120, currency: 'EUR' });
    assert.equal(decision.approval.id, decided.id);
  });

  it('a deny comes back as approved: false', async () => {
    const [decision] = await Promise.all([
      agent.requestApproval({ subjectRef: 'wire.send', payload: { amount: 99000 }, waitTimeoutMs: 60_000 }),
      decideWhenPending('wire.send', 'deny', 'too large'),
    ]);
    assert.equal(decision.approved, false);
    assert.equal(decision.status, 'denied');
    assert.equal(decision.note, 'too large');
  });

  it('a retry with the same idempotency key finds the same approval', async () => {
    const conv = await agent.createConversation();
    const body = {
      conversation_id: conv.id,
      subject_kind: 'tool_call' as const,
      subject_ref: 'account.close',
      payload: { account: 'A-1' },
    };
    const first = await agent.call<ApprovalRead>('POST', '/approvals', { body, idempotencyKey: 'close-A-1' });
    const again = await agent.call<ApprovalRead>('POST', '/approvals', { body, idempotencyKey: 'close-A-1' });
    assert.equal(first.status, 201);
    assert.equal(first.replayed, false);
    assert.equal(again.replayed, true);
    assert.equal(again.data.id, first.data.id);
    const pending = await agent.listApprovals({ status: 'pending' });
    assert.equal(pending.data.filter((a) => a.subject_ref === 'account.close').length, 1);

    // requestApproval with a caller's key: the second call waits on the first approval.
    const key = 'rotate-keys-run-7';
    const [one, two] = await Promise.all([
      agent.requestApproval({ subjectRef: 'keys.rotate', idempotencyKey: key, waitTimeoutMs: 60_000 }),
      (async () => {
        await decideWhenPending('keys.rotate', 'approve', 'go');
        return agent.requestApproval({ subjectRef: 'keys.rotate', idempotencyKey: key, waitTimeoutMs: 60_000 });
      })(),
    ]);
    assert.equal(two.approval.id, one.approval.id);
    assert.equal(two.approved, true);
  });

  it('waiting past the overall timeout is a WaitTimeoutError naming the approval', async () => {
    const err = await agent
      .requestApproval({ subjectRef: 'slow.tool', waitTimeoutMs: 1500 })
      .then(() => assert.fail('should time out'))
      .catch((e: unknown) => e);
    assert.ok(err instanceof WaitTimeoutError, String(err));
    const approval = await agent.getApproval(err.id);
    assert.equal(approval.status, 'pending');
  });

  it('an approval the server expires is an ApprovalExpiredError', async () => {
    const err = await agent
      .requestApproval({ subjectRef: 'expiring.tool', timeoutSeconds: 1, waitTimeoutMs: 30_000 })
      .then(() => assert.fail('should expire'))
      .catch((e: unknown) => e);
    assert.ok(err instanceof ApprovalExpiredError, String(err));
    assert.equal(err.approval.status, 'expired');
  });

  it('errors carry the envelope: code, fields by JSON path, request id', async () => {
    const err = await agent
      .createApproval({ conversation_id: 'nope', subject_kind: 'tool_call', subject_ref: 'x' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TapinApiError);
    assert.equal(err.status, 422);
    assert.equal(err.code, 'bad_request');
    assert.equal(err.fields[0]?.field, 'conversation_id');
    assert.ok(err.requestId);
    assert.ok(err.rateLimit.limit && err.rateLimit.limit > 0);
  });

  it('the key that asked cannot decide (403 with reason self_approval)', async () => {
    const admin = new TapinClient({ baseUrl: tapin.base, apiKey: tapin.adminKey });
    const conv = await admin.createConversation();
    const a = await admin.createApproval({ conversation_id: conv.id, subject_kind: 'tool_call', subject_ref: 'self.check' });
    const err = await admin.decideApproval(a.id, { decision: 'approve' }).catch((e: unknown) => e);
    assert.ok(err instanceof TapinApiError);
    assert.equal(err.status, 403);
    assert.equal(err.reason, 'self_approval');
  });
});
