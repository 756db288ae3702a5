// The wrapper's side of the assist protocol (docs: the assist handoff contract) against a
// stand-in server that plays the operator: what it sends, in which order, and what it
// does with the answers. The same flow against a real tapin is in playwright.test.ts.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { chromium, type Browser } from 'playwright-core';
import { AssistEndedError, TapinClient } from '../src/index.js';
import { wrapPage } from '../src/playwright.js';
import { chromiumArgs, chromiumPath, startDemoSite, type DemoSite } from './harness.js';

interface Call {
  method: string;
  path: string;
  query: URLSearchParams;
  body: any;
}

describe('wrapPage against a stand-in assist server', () => {
  let browser: Browser;
  let site: DemoSite;
  let server: http.Server;
  let base: string;
  let calls: Call[] = [];
  // What the stand-in answers to GET …/actions, one entry per poll.
  let polls: { actions: unknown[]; state: string }[] = [];

  before(async () => {
    assert.ok(existsSync(chromiumPath), `no Chromium at ${chromiumPath}`);
    browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs });
    site = await startDemoSite();
    server = http.createServer((req, res) => {
      let raw = '';
      req.on('data', (d) => (raw += d));
      req.on('end', () => {
        const url = new URL(req.url!, 'http://x');
        const path = url.pathname.replace('/api/v1', '');
        calls.push({ method: req.method!, path, query: url.searchParams, body: raw ? JSON.parse(raw) : undefined });
        const send = (status: number, body: unknown) => {
          res.writeHead(status, { 'content-type': 'application/json' });
          res.end(JSON.stringify(body));
        };
        if (req.method === 'POST' && path === '/handoffs') {
          return send(201, { id: 'h1', kind: 'assist', state: 'frozen', assist: { ...JSON.parse(raw), frame_seq: 0 } });
        }
        if (req.method === 'GET' && path === '/handoffs/h1/actions') return send(200, polls.shift() ?? { actions: [], state: 'expired' });
        if (req.method === 'POST' && path === '/handoffs/h1/frames') return send(201, { frame_seq: calls.filter((c) => c.path.endsWith('/frames')).length });
        if (req.method === 'POST' && path === '/handoffs/h1/resume') return send(200, { id: 'h1', kind: 'assist', state: 'resumed' });
        send(404, { error: { code: 'not_found', message: path, fields: [] } });
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    await browser?.close();
    await site?.stop();
    await new Promise((r) => server?.close(r));
  });

  it('creates the handoff with a capture, applies click, text and key, streams frames, resumes', async () => {
    calls = [];
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    const client = new TapinClient({ baseUrl: base, apiKey: 'tk_test' });
    const wrapped = wrapPage(page, {
      client,
      agentId: 'agent_demo',
      onHandoff: async () => {
        const box = (await page.locator('#otp').boundingBox())!;
        polls = [
          {
            actions: [
              { seq: 1, type: 'click', x: box.x + box.width / 2, y: box.y + box.height / 2 },
              { seq: 2, type: 'text', text: site.code },
            ],
            state: 'solving',
          },
          { actions: [{ seq: 3, type: 'key', key: 'Enter' }], state: 'solving' },
          { actions: [], state: 'resume_requested' },
        ];
      },
    });
    await wrapped.goto(`${site.base}/login`);
    await wrapped.fill('#email', 'agent@example.com');
    assert.equal(calls.length, 0, 'nothing to hand over on the login page');
    await wrapped.click('#signin');
    assert.equal(new URL(page.url()).pathname, '/success');

    const create = calls[0];
    assert.equal(create.path, '/handoffs');
    assert.ok(create.body.capture.screenshot.length > 1000);
    const png = Buffer.from(create.body.capture.screenshot, 'base64');
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.deepEqual({ ...create.body, capture: { ...create.body.capture, screenshot: '…' } }, {
      kind: 'assist',
      agent_id: 'agent_demo',
      interruption_type: 'twofa',
      domain: 'localhost',
      url: `${site.base}/2fa`,
      question: 'localhost asks: "Verification code". Type the code.',
      input: 'code',
      capture: { screenshot: '…', viewport: { width: 1024, height: 700 } },
    });
    const polled = calls.filter((c) => c.path.endsWith('/actions')).map((c) => c.query.get('after'));
    assert.deepEqual(polled, ['0', '2', '3'], 'each poll acknowledges what was applied');
    const frames = calls.filter((c) => c.path.endsWith('/frames'));
    assert.equal(frames.length, 3, 'a frame after each action');
    assert.deepEqual(frames[2].body.viewport, { width: 1024, height: 700 });
    assert.deepEqual(calls.at(-1)?.path, '/handoffs/h1/resume');
    assert.ok(calls.every((c) => c.method === 'GET' || c.body !== undefined));
    await page.close();
  });

  it('an expired handoff fails the wrapped call with AssistEndedError', async () => {
    calls = [];
    polls = [{ actions: [], state: 'expired' }];
    const page = await browser.newPage();
    const wrapped = wrapPage(page, { client: new TapinClient({ baseUrl: base, apiKey: 'tk_test' }) });
    await page.goto(`${site.base}/login`);
    await page.click('#signin');
    const err = await wrapped.checkpoint().catch((e: unknown) => e);
    assert.ok(err instanceof AssistEndedError, String(err));
    assert.equal(err.state, 'expired');
    assert.ok(!calls.some((c) => c.path.endsWith('/resume')));
    await page.close();
  });
});
