// The operator's side of an assist handoff, through the API the phone page uses.
import type { Tapin } from './harness.js';

type Action = { type: 'click'; x: number; y: number } | { type: 'text'; text: string } | { type: 'key'; key: string };

async function post(tapin: Tapin, path: string, body: unknown = {}) {
  const res = await fetch(`${tapin.base}/api/v1${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${tapin.adminKey}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function frameSeq(tapin: Tapin, handoffId: string): Promise<number> {
  const res = await fetch(`${tapin.base}/api/v1/handoffs/${handoffId}`, {
    headers: { authorization: `Bearer ${tapin.adminKey}` },
  });
  const h = (await res.json()) as { assist?: { frame_seq: number } };
  return h.assist?.frame_seq ?? 0;
}

/** Opens, sends each action once the agent answered the previous one with a frame, then "Done". */
export async function solve(tapin: Tapin, handoffId: string, actions: Action[]): Promise<void> {
  await post(tapin, `/handoffs/${handoffId}/open`, { assignee: tapin.operatorEmail });
  await post(tapin, `/handoffs/${handoffId}/solving`, { assignee: tapin.operatorEmail });
  for (const a of actions) {
    const before = await frameSeq(tapin, handoffId);
    await post(tapin, `/handoffs/${handoffId}/operator-actions`, a);
    while ((await frameSeq(tapin, handoffId)) <= before) await new Promise((r) => setTimeout(r, 100));
  }
  // "Done — resume the agent" (by API: resolve) → solved → resume_requested.
  await post(tapin, `/handoffs/${handoffId}/resolve`);
}
