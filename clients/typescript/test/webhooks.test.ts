import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { TapinClient, Webhook, WebhookVerificationError, signWebhook, verifyWebhook } from '../src/index.js';
import { startTapin, type Tapin } from './harness.js';

interface Delivery {
  body: Buffer;
  headers: http.IncomingHttpHeaders;
}

describe('webhook verification (Standard Webhooks)', () => {
  // The specification's own example (standard-webhooks, spec/standard-webhooks.md).
  it('matches the specification: signature of a known secret, id, timestamp and body', () => {
    const secret = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const id = 'msg_p5jXN8AQM9LWM0D4loKWxJek';
    const ts = 1614265330;
    const body = '{"test": 2432232314}';
    const expected = createHmac('sha256', Buffer.from('MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'base64'))
      .update(`${id}.${ts}.${body}`)
      .digest('base64');
    assert.equal(signWebhook(secret, id, ts, body), `v1,${expected}`);
    assert.equal(expected, 'g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
    const headers = { 'webhook-id': id, 'webhook-timestamp': String(ts), 'webhook-signature': `v1,${expected}` };
    assert.deepEqual(verifyWebhook(secret, body, headers, { now: ts + 10 }), { test: 2432232314 });
  });

  describe('deliveries from a real tapin', () => {
    let tapin: Tapin;
    let receiver: http.Server;
    let url: string;
    const deliveries: Delivery[] = [];
    let waiters: (() => void)[] = [];

    before(async () => {
      tapin = await startTapin();
      receiver = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c) => chunks.push(c));
        req.on('end', () => {
          deliveries.push({ body: Buffer.concat(chunks), headers: req.headers });
          res.writeHead(204).end();
          waiters.forEach((w) => w());
          waiters = [];
        });
      });
      await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/tapin`;
    });
    after(async () => {
      await new Promise((r) => receiver.close(r));
      await tapin?.stop();
    });

    async function deliveryOf(type: string, handoffId: string): Promise<Delivery> {
      for (;;) {
        const d = deliveries.find((x) => {
          const p = JSON.parse(x.body.toString());
          return p.type === type && p.handoff_id === handoffId;
        });
        if (d) return d;
        await new Promise<void>((r) => waiters.push(r));
      }
    }

    it('accepts a real delivery, rejects a tampered body and an old timestamp, and verifies across a rotation', async () => {
      const admin = new TapinClient({ baseUrl: tapin.base, apiKey: tapin.adminKey });
      const agent = new TapinClient({ baseUrl: tapin.base, apiKey: tapin.agentKey });
      const { data: sub } = await admin.call<{ id: string; secret: string }>('POST', '/webhooks', {
        body: { url, events: ['handoff.created'] },
        idempotencyKey: 'webhook-sub-1',
      });
      assert.match(sub.secret, /^whsec_/);

      const h = await agent.handoffToHuman({ packet: { static_text: 'webhook me' } });
      const d = await deliveryOf('handoff.created', h.id);
      const wh = new Webhook(sub.secret);
      const event = wh.verify<{ type: string; handoff_id: string; event_id: string }>(d.body, d.headers as Record<string, string>);
      assert.equal(event.type, 'handoff.created');
      assert.equal(event.handoff_id, h.id);
      assert.equal(event.event_id, d.headers['webhook-id']);

      // Another handoff id in the body: a forged event.
      const forged = h.id.slice(0, -1) + (h.id.endsWith('0') ? '1' : '0');
      const tampered = Buffer.from(d.body.toString().replaceAll(h.id, forged));
      assert.notDeepEqual(tampered, d.body);
      assert.throws(() => wh.verify(tampered, d.headers as Record<string, string>), WebhookVerificationError);
      const ts = Number(d.headers['webhook-timestamp']);
      assert.throws(
        () => wh.verify(d.body, d.headers as Record<string, string>, { now: ts + 301 }),
        /too old/,
      );
      assert.throws(
        () => new Webhook('whsec_' + Buffer.alloc(32, 7).toString('base64')).verify(d.body, d.headers as Record<string, string>),
        /no signature matches/,
      );

      // Rotation: the next delivery carries two signatures; either secret verifies.
      const { data: rotated } = await admin.call<{ secret: string }>('POST', `/webhooks/${sub.id}/rotate-secret`, {
        idempotencyKey: 'rotate-1',
      });
      const h2 = await agent.handoffToHuman({ packet: { static_text: 'after rotation' } });
      const d2 = await deliveryOf('handoff.created', h2.id);
      assert.equal(String(d2.headers['webhook-signature']).split(' ').length, 2);
      for (const secrets of [[sub.secret], [rotated.secret], [rotated.secret, sub.secret]]) {
        const e2 = verifyWebhook<{ handoff_id: string }>(secrets, d2.body, d2.headers as Record<string, string>);
        assert.equal(e2.handoff_id, h2.id);
      }
    });
  });
});
