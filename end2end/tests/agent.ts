// What an agent does over the REST API, for the end-to-end tests.
import { expect, type APIRequestContext } from '@playwright/test';

export class Agent {
  constructor(private request: APIRequestContext, private key: string) {}

  private get headers() {
    return { authorization: `Bearer ${this.key}` };
  }

  async post(path: string, data: unknown = {}) {
    const res = await this.request.post(`/api/v1${path}`, { headers: this.headers, data });
    expect(res.status(), `${path}: ${await res.text()}`).toBeLessThan(300);
    return res.json();
  }

  async get(path: string) {
    const res = await this.request.get(`/api/v1${path}`, { headers: this.headers });
    expect(res.status()).toBe(200);
    return res.json();
  }

  async conversation(messages: [string, string][] = []): Promise<string> {
    const conv = await this.post('/conversations');
    for (const [author, content] of messages) {
      await this.post(`/conversations/${conv.id}/messages`, { author, content });
    }
    return conv.id;
  }

  async takeover(staticText: string, messages: [string, string][] = []) {
    const cid = await this.conversation(messages);
    const h = await this.post('/handoffs', {
      kind: 'takeover',
      conversation_id: cid,
      source: 'router',
      packet: { static_text: staticText, reason: 'Needs a person.' },
    });
    return { cid, hid: h.id as string };
  }

  async approval(extra: Record<string, unknown> = {}) {
    const cid = await this.conversation([['user', 'Please refund my order.']]);
    const a = await this.post('/approvals', {
      conversation_id: cid,
      subject_kind: 'tool_call',
      subject_ref: 'refund.create',
      payload: { amount: 120, currency: 'EUR', order: '#4411' },
      approver_role: 'billing_manager',
      suspend_message: 'Checking your refund with the billing team.',
      timeout_seconds: 600,
      ...extra,
    });
    return { cid, aid: a.id as string };
  }
}
