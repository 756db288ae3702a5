// Named types for the API's shapes. Everything but the assist section comes from the
// OpenAPI document tapin serves (src/schema.ts, regenerated with `npm run generate`).

import type { components } from './schema.js';

type S = components['schemas'];

export type HandoffRead = S['HandoffRead'];
export type ApprovalRead = S['ApprovalRead'];
export type ApprovalSummary = S['ApprovalSummary'];
export type ConversationRead = S['ConversationRead'];
export type MessageRead = S['MessageRead'];
export type MessageList = S['MessageList'];
export type EventRead = S['EventRead'];
export type Packet = S['Packet'];
export type CreateApproval = S['CreateApproval'];
export type WaitResult = S['WaitResult'];
export type Source = S['Source'];
export type Kind = S['Kind'];

/** A page of a cursor-paginated list, newest first. */
export interface Page<T> {
  data: T[];
  next_cursor: string | null;
}

/** The packet a takeover carries (seed 000); `transcript_ptr` is filled by the server. */
export type PacketInput = Omit<Packet, 'transcript_ptr'>;

// --- assist handoffs (docs: the assist section of tapin's README) ---------------------

export type InterruptionType = 'captcha' | 'twofa' | 'approval_modal' | 'login' | 'other';
/** What the operator's keyboard should be: `code` (numeric, one-time-code), `text` or `none`. */
export type AssistInput = 'code' | 'text' | 'none';

export interface Viewport {
  width: number;
  height: number;
}

export interface Capture {
  /** Base64 PNG or JPEG (≤ 2 MiB decoded). */
  screenshot: string;
  viewport: Viewport;
  dom_snapshot?: string;
  cookies?: unknown;
  storage?: unknown;
}

export interface AssistCreate {
  agent_id: string;
  interruption_type: InterruptionType;
  domain: string;
  url: string;
  question: string;
  input?: AssistInput;
  capture?: Capture;
  timeout_seconds?: number;
  /** Assign it at once to this operator (id or email; needs `capture`): the answer's
   * `mobile_url` is then that operator's signed single-use link to the phone page. */
  assignee?: string;
}

export interface AssistView {
  agent_id: string;
  interruption_type: InterruptionType;
  domain: string;
  url: string;
  question: string;
  input: AssistInput;
  /** Frames posted so far (the capture is frame 1; 0 while `detected`) and when the newest came. */
  frame_seq: number;
  frame_at?: string | null;
  viewport: Viewport | null;
  /** The newest operator action's number and when it was sent. */
  action_seq?: number;
  last_action_at?: string | null;
  /** The operator solving it (the lease), if any. */
  lease_holder?: string | null;
  /** When the captured state was purged (after the handoff ended). */
  purged_at?: string | null;
}

/** A handoff of kind `assist`, as tapin answers it. */
export type AssistHandoff = HandoffRead & {
  assist?: AssistView;
  /** Only on the answer to a create with `assignee`: that operator's signed single-use
   * link to `/m/<id>` (pass it on: SMS, chat, …). Null or absent otherwise. */
  mobile_url?: string | null;
};

export type AssistAction =
  | { seq: number; type: 'click'; x: number; y: number }
  | { seq: number; type: 'text'; text: string }
  | { seq: number; type: 'key'; key: 'Enter' | 'Tab' | 'Backspace' | 'Escape' | string };

export interface ActionsPage {
  actions: AssistAction[];
  state: string;
}

/** The agent's part is over with one of these: solved (ready to resume) or ended. */
export const ASSIST_RESUME_STATES = ['resume_requested'] as const;
export const ASSIST_DEAD_STATES = ['expired', 'failed', 'cancelled', 'completed', 'resumed'] as const;
