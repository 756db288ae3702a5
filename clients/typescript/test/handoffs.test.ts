import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { TapinApiError, TapinClient } from '../src/index.js';
import { startTapin, type Tapin } from './harness.js';

describe('takeovers and conversations against a real tapin', () => {
  let tapin: Tapin;
  let agent: TapinClient;

  before(async () => {
    tapin = await startTapin();
    agent = new TapinClient({ baseUrl: tapin.base, apiKey: tapin.agentKey });
  });
  after(() => tapin?.stop());

  it('handoffToHuman creates the conversation, its transcript and the takeover', async () => {
    const h = await agent.handoffToHuman({
      messages: [
        { author: 'user', content: 'I was charged twice.' },
        { author: 'agent', content: 'Let me get someone who can refund it.' },
      ],
      packet: { static_text: 'Double charge on order #4411', reason: 'Refund over my limit', context_vars: { order: '#4411' } },
    });
    assert.equal(h.kind, 'takeover');
    assert.equal(h.status, 'requested');
    assert.equal(h.static_text, 'Double charge on order #4411');
    assert.deepEqual(h.packet.transcript_ptr, { conversation_id: h.conversation_id, up_to_seq: 2 });

    const read = await agent.getHandoff(h.id);
    assert.equal(read.id, h.id);
    const conv = await agent.getConversation(h.conversation_id!);
    assert.equal(conv.status, 'waiting_for_human');

    // While a person owns the conversation the agent may not write: 409 with the reason.
    const err = await agent
      .postMessage(h.conversation_id!, { author: 'agent', content: 'still here' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof TapinApiError);
    assert.equal(err.status, 409);
    assert.equal(err.reason, 'conversation_owned_by_human');

    // The operator's reply reaches the transcript, and the agent reads only what is new.
    await agent.relayMessage(h.id, 'Hi, I am Olivia from billing.');
    const msgs = await agent.listMessages(h.conversation_id!, { sinceSeq: 2 });
    assert.deepEqual(
      msgs.data.map((m) => [m.author, m.content]),
      [['operator', 'Hi, I am Olivia from billing.']],
    );
    assert.equal(msgs.last_seq, 3);
  });

  it('lists and iterates handoffs, newest first, filtered', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await agent.handoffToHuman({ packet: { static_text: `list me ${i}` } })).id);
    }
    const first = await agent.listHandoffs({ kind: 'takeover', limit: 2 });
    assert.equal(first.data.length, 2);
    assert.ok(first.next_cursor);
    const all: string[] = [];
    for await (const h of agent.iterateHandoffs({ kind: 'takeover', limit: 2 })) all.push(h.id);
    for (const id of ids) assert.ok(all.includes(id));
    assert.deepEqual(all.slice(0, 3), [...ids].reverse());
  });

  it('a handoff retried with its idempotency key is created once', async () => {
    const input = { packet: { static_text: 'exactly once' }, idempotencyKey: 'takeover-run-42' };
    const a = await agent.handoffToHuman(input);
    const b = await agent.handoffToHuman(input);
    assert.equal(b.id, a.id);
    assert.equal(b.conversation_id, a.conversation_id);
  });

  it('a takeover assigned at creation answers the operator\'s signed link', async () => {
    const h = await agent.handoffToHuman({ packet: { static_text: 'for Olivia' }, assignee: tapin.operatorEmail });
    assert.equal(h.status, 'assigned');
    assert.match(h.mobile_url ?? '', new RegExp(`/m/${h.id}\\?t=`));
  });

  it('cancel gives the conversation back to the agent', async () => {
    const h = await agent.handoffToHuman({ packet: { static_text: 'never mind' } });
    const cancelled = await agent.cancelHandoff(h.id, 'customer left');
    assert.equal(cancelled.status, 'cancelled');
    const conv = await agent.getConversation(h.conversation_id!);
    assert.equal(conv.status, 'active');
    const events = await agent.handoffEvents(h.id);
    assert.deepEqual(
      events.map((e) => e.to_state),
      ['created', 'cancelled'],
    );
  });
});
