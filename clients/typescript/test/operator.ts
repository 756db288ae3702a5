// The operator's side of an assist handoff: the steps seed 004 names through the API
// (`/open`, `/solving`), then what the phone page's controls post (`/fn/assist_act` for a
// tap, typed text or a key; `/fn/assist_done` for "Done — resume the agent") with the
// operator's signed-in session.
import type { Tapin } from './harness.js';

export type OperatorAction = { x: number; y: number } | { text: string } | { key: string };

async function api(tapin: Tapin, path: string, body: unknown = {}) {
  const res = await fetch(`${tapin.base}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tapin.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/** A password session, as `/login` gives one: the cookie to send. */
export async function signIn(tapin: Tapin): Promise<string> {
  const res = await fetch(`${tapin.base}/fn/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ organization: tapin.org, email: tapin.operatorEmail, password: tapin.operatorPassword }),
  });
  const cookie = res.headers.getSetCookie().find((c) => c.includes('tapin_session='));
  if (!cookie) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  return cookie.split(';')[0];
}

/** A phone-page control: a server function posted as a form, answered as JSON. */
async function fn(tapin: Tapin, cookie: string, name: string, fields: Record<string, string | number>) {
  const res = await fetch(`${tapin.base}/fn/${name}`, {
    method: 'POST',
    headers: { cookie, accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])),
  });
  if (!res.ok) throw new Error(`/fn/${name}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function frameSeq(tapin: Tapin, handoffId: string): Promise<number> {
  const res = await fetch(`${tapin.base}/api/v1/handoffs/${handoffId}`, {
    headers: { authorization: `Bearer ${tapin.adminKey}` },
  });
  const h = (await res.json()) as { assist?: { frame_seq: number } };
  return h.assist?.frame_seq ?? 0;
}

/** Opens and takes the handoff, sends each action once the agent answered the previous
 * one with a new frame (as a person looking at the screen would), then taps Done. */
export async function solve(tapin: Tapin, handoffId: string, actions: OperatorAction[]): Promise<void> {
  await api(tapin, `/handoffs/${handoffId}/open`, { assignee: tapin.operatorEmail });
  await api(tapin, `/handoffs/${handoffId}/solving`, { assignee: tapin.operatorEmail });
  const cookie = await signIn(tapin);
  for (const a of actions) {
    const before = await frameSeq(tapin, handoffId);
    await fn(tapin, cookie, 'assist_act', { id: handoffId, ...a });
    while ((await frameSeq(tapin, handoffId)) <= before) await new Promise((r) => setTimeout(r, 100));
  }
  await fn(tapin, cookie, 'assist_done', { id: handoffId });
}
