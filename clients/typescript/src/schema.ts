// Generated from tapin's OpenAPI document (GET /api/v1/openapi.json) by
// scripts/generate-types.mjs (`npm run generate`). Do not edit by hand.

export interface paths {
    "/api/v1/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Liveness and database check
         * @description No API key needed.
         */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/openapi.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This OpenAPI document
         * @description The OpenAPI 3.1 description of `/api/v1`, generated from the server's code. No API key needed.
         */
        get: operations["openapi"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/reference": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * This API reference, as HTML
         * @description Every operation with its parameters, request body, responses and schemas, rendered from the OpenAPI document. No API key needed.
         */
        get: operations["reference"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a conversation
         * @description A new, empty conversation with `status: active`.
         *
         *     Scope: `handoffs:write`. The body is optional. Accepts `Idempotency-Key`.
         */
        post: operations["create_conversation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a conversation
         * @description `status` is `active`, `waiting_for_human`, `awaiting_approval` or `closed`; `last_seq` is the seq of the newest message (0 when empty).
         *
         *     Scope: `read`.
         */
        get: operations["get_conversation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Poll messages
         * @description Only messages with `seq > since_seq`, oldest first. Pass the returned `last_seq` as `since_seq` next time.
         *
         *     Scope: `read`.
         */
        get: operations["list_messages"];
        put?: never;
        /**
         * Append a message
         * @description Appends a message with the next `seq` (from 1). While the conversation is `waiting_for_human`, agent messages are refused; a closed conversation takes no messages.
         *
         *     Scope: `handoffs:write`. Accepts `Idempotency-Key`.
         */
        post: operations["post_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}/escalate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Escalate a conversation to a human
         * @description Operator-initiated escalation (seed 003): records a takeover with `source = operator` and flips the conversation to `waiting_for_human`; announced as `conversation.handoff_requested`.
         *
         *     Scope: `handoffs:write`. The body is optional. Accepts `Idempotency-Key`.
         */
        post: operations["escalate_conversation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/conversations/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live messages of a conversation (SSE)
         * @description A Server-Sent Events stream of the conversation's messages as they are appended. Each event has `id:` = the message `seq`, `event: message` and `data:` = one `MessageRead` as JSON. Without `Last-Event-ID` only new messages are sent (the history is `GET /messages`); with it, everything after that seq, then live. Keep-alive comments every 15 s.
         *
         *     Scope: `read`.
         */
        get: operations["conversation_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List handoffs, newest first
         * @description Cursor pagination: pass `next_cursor` of a page as `cursor` to get the next one; `next_cursor` is null on the last page. Unknown query parameters are refused (400).
         *
         *     Scope: `read`.
         */
        get: operations["list_handoffs"];
        put?: never;
        /**
         * Create a takeover handoff
         * @description Records a `takeover` handoff for a conversation and flips the conversation to `waiting_for_human` (agent messages are then refused with 409 until it is handed back or resolved). With `assignee` (an operator id or email) it is also assigned to that operator, and `mobile_url` is that operator's signed single-use link (seed 004); the assignment's audit row names the API key the link was issued to. The server fills `packet.transcript_ptr` with the highest message seq at this moment (`up_to_seq: null` for an empty thread); a value sent by the client is replaced.
         *
         *     Scope: `handoffs:write`. Accepts `Idempotency-Key`.
         */
        post: operations["create_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a handoff
         * @description Any kind of handoff (takeover, approval, assist, agent). `status` is the kind-specific view, `state` the stored lifecycle state.
         *
         *     Scope: `read`.
         */
        get: operations["get_handoff"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/resolve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resolve a takeover
         * @description The handoff becomes `resolved` (state `completed`) and its conversation `closed` with `termination_reason = handoff_resolved`, in one transaction. Takeovers only. No request body is read.
         *
         *     Scope: `handoffs:write` (`approvals:write` when the handoff is an approval).
         */
        post: operations["resolve_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Assign to an operator
         * @description Gives the handoff to a named operator of the organization (by id or email). `assignee` is required here although the body type marks it optional (it is shared with accept).
         *
         *     Scope: `handoffs:write` (`approvals:write` when the handoff is an approval).
         */
        post: operations["assign_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Accept (optionally on behalf of an operator)
         * @description Moves the handoff to `accepted` (state `solving`). With `assignee`, it is assigned to that operator and accepted in one step. Takeover, assist and agent handoffs.
         *
         *     Scope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional.
         */
        post: operations["accept_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Cancel (the agent withdraws the request)
         * @description Withdraws the request from any open state; the handoff becomes `cancelled`.
         *
         *     Scope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).
         */
        post: operations["cancel_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/handback": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hand the conversation back to the bot
         * @description Takeovers only: the handoff completes and the conversation becomes `active` again with `status_reason = handed_back`.
         *
         *     Scope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).
         */
        post: operations["handback_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Relay an operator message into the conversation
         * @description Appends the operator's message (author `operator`) to the handoff's conversation while the handoff is open.
         *
         *     Scope: `handoffs:write`. Accepts `Idempotency-Key`.
         */
        post: operations["relay_handoff_message"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/resume": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Resume: the agent picked up after the decision
         * @description Approval and assist handoffs, after the decision or the operator's input (`solved` or `resume_requested` → `resumed`).
         *
         *     Scope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).
         */
        post: operations["resume_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Complete: the original task finished
         * @description Approval and assist handoffs after resume (`resumed` → `completed`); agent handoffs after accept (`solving` → `completed`).
         *
         *     Scope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).
         */
        post: operations["complete_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/fail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Fail: resuming did not work
         * @description Approval and assist handoffs: resuming failed (state corrupted, domain changed, …); `solved` or `resume_requested` → `failed`.
         *
         *     Scope: `handoffs:write` (`approvals:write` when the handoff is an approval). The body is optional (an empty body is `{}`).
         */
        post: operations["fail_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * A handoff's audit trail (JSON or live SSE)
         * @description Without `Accept: text/event-stream`: the handoff's audit events, oldest first, as a JSON array (each with the hash of the organization's chain).
         *
         *     With `Accept: text/event-stream`: a Server-Sent Events stream of the same events, from the first one (or after `Last-Event-ID`), then live. Each SSE event has `id:` = the event's `seq` in the organization's audit chain, `event:` = the event name (`create`, `assign`, `resolve`, …) and `data:` = one `EventRead` as JSON. Keep-alive comments every 15 s; reconnect with `Last-Event-ID` to resume without gaps.
         *
         *     Scope: `read`.
         */
        get: operations["handoff_events"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}/handoff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hand a lead to a human (seed 003 vocabulary)
         * @description Seed 003's path and words for the same escalation: a lead is its conversation, and `awaiting_human` is tapin's `waiting_for_human`. The response carries `lead_id`.
         *
         *     Scope: `leads:write` (seed 003's name) or `handoffs:write`. The body is optional. Accepts `Idempotency-Key`.
         */
        post: operations["lead_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Record a lead (seed 003)
         * @description Records the person a conversation is with: a new conversation (status `active`), or the one named by `conversation_id`. A lead is its conversation: the lead's `id` is the conversation's, and `POST /api/v1/leads/{id}/handoff` escalates it later. The lead and a new conversation are written together.
         *
         *     Scope: `leads:write` (seed 003's name) or `handoffs:write`. The body is optional. Accepts `Idempotency-Key`.
         */
        post: operations["create_lead"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/leads/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a lead
         * @description Scope: `read`.
         */
        get: operations["get_lead"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/agents/handoff": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Hand a task from one agent to another (seed 002)
         * @description Records a handoff of kind `agent`; the receiving agent accepts it with `POST /api/v1/handoffs/{id}/accept` and finishes it with `/complete`.
         *
         *     Every field is also accepted in camelCase: `fromAgent`, `toAgent`, `conversationContext`, `handoffReason`, `handoffTime` (`priority` is the same in both). The response uses seed 002's camelCase names.
         *
         *     Scope: `handoffs:write`. Accepts `Idempotency-Key`.
         */
        post: operations["agent_handoff"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List approvals, newest first
         * @description The summary form (no payload). Cursor pagination: pass `next_cursor` as `cursor` for the next page; null on the last page. Unknown query parameters are refused (400).
         *
         *     Scope: `read`.
         */
        get: operations["list_approvals"];
        put?: never;
        /**
         * Request an approval
         * @description Records the approval (status `pending`), flips the conversation to `awaiting_approval`, appends `suspend_message` to it (what the end user is shown while it is pending; the organization's holding line when none is given, and then `suspend_message` reads as that line) and, with `timeout_seconds`, schedules the timeout (a timeout reads as `expired` and routes like a deny). One transaction.
         *
         *     Scope: `approvals:write`. Accepts `Idempotency-Key`.
         */
        post: operations["create_approval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an approval
         * @description Scope: `read`.
         */
        get: operations["get_approval"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}/decide": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve or deny
         * @description Records the decision and resumes the conversation. The approver may edit the payload; an edit must keep `subject_kind` and `subject_ref` when they are given, so approving one action cannot run another. A second decision is a 409. The API key that requested the approval cannot decide it (403 with `reason: self_approval`) unless the server sets `allow_self_approval`: the decision comes from another key or from an operator.
         *
         *     Scope: `approvals:decide` (`approvals:write` alone is not enough; `admin` implies it).
         */
        post: operations["decide_approval"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approvals/{id}/wait": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Long-poll until decided
         * @description Returns as soon as the approval is no longer pending (decided, expired or cancelled), or after `timeout` seconds with `decided: false`: then call again.
         *
         *     Scope: `read`.
         */
        get: operations["wait_approval"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/approval-messages": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read the approval messages
         * @description Scope: `read`.
         */
        get: operations["get_approval_messages"];
        /**
         * Set the approval messages
         * @description The organization's holding line (appended to the conversation when an approval is requested) and waiting reply (sent when the end user writes while an approval is pending).
         *
         *     Scope: `approvals:write`.
         */
        put: operations["put_approval_messages"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{workflow_id}/nodes/{node_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an approval node
         * @description Scope: `read`.
         */
        get: operations["get_node"];
        /**
         * Save an approval node
         * @description Creates or replaces the workflow's approval node. The condition expression is parsed now, so a bad one is refused with its position instead of failing at run time. The saved node is returned with `id` set to the path's node id.
         *
         *     Scope: `approvals:write`.
         */
        put: operations["put_node"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/workflows/{workflow_id}/nodes/{node_id}/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Evaluate an approval node for a conversation
         * @description Evaluates the node's condition against `variables`. False: no approval is needed and `next` is `on_approve`. True: an approval is created (as by `POST /approvals`, `subject_kind = workflow_node`) and returned, with `next: null` until it is decided. A condition that cannot be evaluated fails closed: an approval is created and `evaluation_error` says why. That includes a condition that would build a string over 64 KiB or need more than 50,000 steps of work. `variables` is size-checked (64 KiB of JSON) before the condition is evaluated.
         *
         *     Scope: `approvals:write`. Accepts `Idempotency-Key`.
         */
        post: operations["evaluate_node"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's audit events, live (SSE)
         * @description A Server-Sent Events stream of every audit event of the organization. Each event has `id:` = its `seq` in the organization's hash chain, `event:` = the event name (`create`, `resolve`, `decide`, …) and `data:` = one `EventRead` as JSON. Without `Last-Event-ID` only new events are sent; with it, everything after that seq, then live. Keep-alive comments every 15 s.
         *
         *     Scope: `read`.
         */
        get: operations["audit_stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/export.jsonl": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the audit log (JSON Lines)
         * @description Every audit event of the organization in chain order (`seq` ascending), each with `prev_hash` and `hash`, so the chain can be re-verified offline: `hash = sha256(hex_decode(prev_hash) || canonical)` where `canonical` is the event's JSON without `prev_hash`/`hash`, keys sorted, no whitespace; the first event's `prev_hash` is 64 zeros. `from`/`to` bound `created_at` (`from` inclusive, `to` exclusive); a bounded export starts mid-chain, so verify it from its first row's `prev_hash`. The body is streamed.
         *
         *     Scope: `read`.
         */
        get: operations["audit_export_jsonl"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Export the audit log (CSV)
         * @description Every audit event of the organization in chain order (`seq` ascending), each with `prev_hash` and `hash`, so the chain can be re-verified offline: `hash = sha256(hex_decode(prev_hash) || canonical)` where `canonical` is the event's JSON without `prev_hash`/`hash`, keys sorted, no whitespace; the first event's `prev_hash` is 64 zeros. `from`/`to` bound `created_at` (`from` inclusive, `to` exclusive); a bounded export starts mid-chain, so verify it from its first row's `prev_hash`. The body is streamed.
         *
         *     Scope: `read`.
         */
        get: operations["audit_export_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/security": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The security log
         * @description The newest 200 changes to where operators are reached (phone, push devices) and to the organization's Slack hook, newest first, whether made with an API key or in the UI. Each was announced to the operator concerned (admins, for the Slack hook) by email and on their existing push devices; `notice` says which.
         *
         *     Scope: `admin`.
         */
        get: operations["audit_security"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List subscriptions
         * @description Secrets are not included.
         *
         *     Scope: `admin`.
         */
        get: operations["list_webhooks"];
        put?: never;
        /**
         * Subscribe a URL to events
         * @description Every matching lifecycle event (and, for `conversation.message`, every message appended to a conversation) is POSTed to `url` as JSON, at least once, in order per handoff (messages: per conversation), signed as the Standard Webhooks specification says: `webhook-id` (the event id, the same on every retry), `webhook-timestamp` (Unix seconds of the attempt) and `webhook-signature: v1,<base64 HMAC-SHA256(key, "<webhook-id>.<webhook-timestamp>.<body>")>`, where the key is the base64 after `whsec_` in `secret`; any Standard Webhooks library verifies it with `secret`. `signature_scheme: "tapin-v1"` adds the legacy `tapin-signature: t=<unix>,v1=<hex hmac-sha256(secret, "<t>.<body>")>` header (deprecated, kept for one release). Failed deliveries (timeouts, connection errors, 5xx, 408, 429) are retried with exponential backoff and jitter for 24 h, then dead-lettered; other 4xx stop at once. The `secret` is shown only in this response: a retry with the same `Idempotency-Key` does not create a second subscription and does not repeat the secret, it answers 409 `idempotency_secret_not_replayed` naming the webhook (rotate the secret to get a new one).
         *
         *     Scope: `admin`. Accepts `Idempotency-Key`.
         */
        post: operations["create_webhook"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a subscription
         * @description Scope: `admin`.
         */
        get: operations["get_webhook"];
        put?: never;
        post?: never;
        /**
         * Delete a subscription
         * @description Pending deliveries are dropped with it.
         *
         *     Scope: `admin`.
         */
        delete: operations["delete_webhook"];
        options?: never;
        head?: never;
        /**
         * Change a subscription
         * @description Only the fields given change. Pending deliveries go to the new URL, signed as the new `signature_scheme` says.
         *
         *     Scope: `admin`.
         */
        patch: operations["update_webhook"];
        trace?: never;
    };
    "/api/v1/webhooks/{id}/rotate-secret": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rotate the signing secret
         * @description The next delivery is signed with the new secret, shown only in this response. The replaced secret keeps signing for 24 hours (`previous_secret_expires_at`): meanwhile `webhook-signature` carries both signatures, space-separated (`v1,<new> v1,<old>`), so a receiver verifies with either secret while it switches. Rotating again within those 24 hours ends the overlap of the secret replaced before: only the latest replaced secret still signs. The legacy `tapin-signature` (scheme `tapin-v1`) is signed with the new secret only. A retry with the same `Idempotency-Key` does not rotate again and does not repeat the secret: it answers 409 `idempotency_secret_not_replayed`.
         *
         *     Scope: `admin`. Accepts `Idempotency-Key`.
         */
        post: operations["rotate_webhook_secret"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Delivery log of a subscription
         * @description Each event sent (or to be sent) to this subscription: attempts, the receiver's last status or the connection error, and when the next try is due. `status=dead` lists the dead letters.
         *
         *     Scope: `admin`.
         */
        get: operations["list_webhook_deliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Redeliver
         * @description Makes the delivery pending and due now; it keeps its event id, so a receiver that already has it can drop it.
         *
         *     Scope: `admin`.
         */
        post: operations["redeliver_webhook_delivery"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/escalation-chains": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List escalation chains
         * @description Scope: `read`.
         */
        get: operations["list_escalation_chains"];
        put?: never;
        /**
         * Create an escalation chain
         * @description Steps are notified in order. Each names its targets — `{"operator": id}`, `{"role": name}`, `{"on_call": rotation_id}` or `"everyone"` — and `wait_seconds` (1 s to 7 days): if nobody opens the handoff within the wait, the next step is notified (`handoff.escalated`, then `handoff.notified`). After the last step's wait the chain starts over `repeat` more times, then the handoff expires (`handoff.expired` with `timeout_chain_exhausted: true`).
         *
         *     Scope: `admin`.
         */
        post: operations["create_escalation_chain"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/escalation-chains/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read an escalation chain
         * @description Scope: `read`.
         */
        get: operations["get_escalation_chain"];
        /**
         * Replace an escalation chain
         * @description Runs already under way continue with the new steps from where they are.
         *
         *     Scope: `admin`.
         */
        put: operations["update_escalation_chain"];
        post?: never;
        /**
         * Delete an escalation chain
         * @description Refused with 409 `chain_in_use` while a policy or the default route names it.
         *
         *     Scope: `admin`.
         */
        delete: operations["delete_escalation_chain"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rotations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List rotations
         * @description Scope: `read`.
         */
        get: operations["list_rotations"];
        put?: never;
        /**
         * Create a weekly on-call rotation
         * @description `operators[0]` is on call for a week from `starts_at`, then the next, round robin. An override puts someone else on call from `starts_at` to `ends_at` (end excluded); the override added last wins.
         *
         *     Scope: `admin`.
         */
        post: operations["create_rotation"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rotations/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Read a rotation
         * @description Scope: `read`.
         */
        get: operations["get_rotation"];
        /**
         * Replace a rotation
         * @description Scope: `admin`.
         */
        put: operations["update_rotation"];
        post?: never;
        /**
         * Delete a rotation
         * @description Refused with 409 `rotation_in_use` while a chain's step names it.
         *
         *     Scope: `admin`.
         */
        delete: operations["delete_rotation"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rotations/{id}/overrides": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Add an override (someone covers a shift)
         * @description Scope: `admin`.
         */
        post: operations["add_rotation_override"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/rotations/{id}/on-call": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Who is on call
         * @description Scope: `read`.
         */
        get: operations["rotation_on_call"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List routing policies
         * @description Scope: `read`.
         */
        get: operations["list_policies"];
        /**
         * Replace the routing policies
         * @description Evaluated in order when a handoff or approval is created; the first whose `condition` is true applies its `actions`: `route` (a chain id), `priority` (low|medium|high|urgent), `auto_resolve` (`approve`/`deny` for approvals, `resolve` for takeovers; audited with `source: policy`), `expire_after_seconds`. No match: the organization's default route. A condition that cannot be decided (a missing variable, a type error) never matches. Every condition is checked first; on any error nothing changes.
         *
         *     Scope: `admin`.
         */
        put: operations["replace_policies"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/policies/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Test the policies against a sample
         * @description Runs the current policies on a made-up handoff (nothing is created) and says which matched, the route, priority, auto-resolution and expiry, the conditions that could not be decided, and the variables the conditions saw. The sample is checked like a real handoff before any condition runs (packet texts and `context_vars` within their bounds, `payload` at most 64 KiB of JSON; only `packet.static_text` may be blank); a condition that would build a string over 64 KiB or need more than 50,000 steps is listed in `errors` and never matches.
         *
         *     Scope: `read`.
         */
        post: operations["test_policies"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/routing/settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Default route, Slack hook and time zone
         * @description Scope: `admin`.
         */
        get: operations["get_routing_settings"];
        /**
         * Set the default route, Slack hook and time zone
         * @description `default_chain_id`: the chain for handoffs no policy routes (null: everyone who may act, told once, no escalation). `slack_webhook_url`: a Slack incoming webhook for operators who choose the `slack` channel. `time_zone`: the organization's IANA zone (`Europe/Berlin`); policy conditions read `hour`, `minute`, `time` and `weekday` in it, rotations hand over at its wall-clock time and the pages show times in it (left out: unchanged).
         *
         *     Scope: `admin`.
         */
        put: operations["put_routing_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/operators/{id}/channels": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * An operator's channels per urgency
         * @description Scope: `admin`.
         */
        get: operations["get_operator_channels"];
        /**
         * Set an operator's channels per urgency
         * @description The handoff's priority picks the list. An urgency left out keeps the default (`push`, `email`). Operators set this themselves on `/settings` too.
         *
         *     Scope: `admin`.
         */
        put: operations["put_operator_channels"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/handoffs/{id}/notifications": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Every notification a handoff caused
         * @description One row per operator and channel: sent, failed (with the reason), or skipped (the operator could not be reached on any chosen channel).
         *
         *     Scope: `read`.
         */
        get: operations["list_handoff_notifications"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/audit/trace/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The organization's transitions with timings, live (SSE)
         * @description A Server-Sent Events stream of every transition of the organization's handoffs as it commits. Each event has `id:` = its `seq` in the organization's audit chain, `event: transition` and `data:` = `{seq, event_id, handoff_id, kind, event, from, to, actor, at, ms_since_created, ms_since_previous}`: `event` is the audit event (`create`, `notify`, `open`, `decide`, `resolve`, …), `from`/`to` the states (`from` is null for `create`), `at` its time (RFC 3339), `ms_since_created` the milliseconds since the handoff's `create` event and `ms_since_previous` since the handoff's previous event (null for `create`). Starts after `Last-Event-ID` when sent (a reconnecting client), else after `after_seq`, else with the next new event. Keep-alive comments every 15 s.
         *
         *     Scope: `read`.
         */
        get: operations["audit_trace_stream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/metrics/time-to-human": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Time to human: per handoff, operator and chain
         * @description For the handoffs created in `[from, to)` (either may be left out), read from their audit events: per handoff the times it was created, first notified, first opened, solved (the first decide, solve, resolve or hand back) and resumed, with `time_to_open_ms` (created → first opened) and `time_to_decide_ms` (created → solved); `handoffs` lists the newest 500 (`handoffs_total` counts all). `by_operator` groups by the operator who opened a handoff first (time to open) and by the operator who decided or solved it (time to decide; steps taken by an API key count for no operator). `by_chain` groups by the escalation chain recorded at creation (`default` when none). Percentiles are nearest-rank: p50 is the smallest time with at least half of the times at or below it, p95 likewise; null when the group has no time.
         *
         *     Scope: `read`.
         */
        get: operations["time_to_human"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /**
         * @description Seed 002's AgentHandoffRequest. Each field is also accepted under its camelCase
         *     alias (`fromAgent`, `toAgent`, `conversationContext`, `handoffReason`, `handoffTime`).
         */
        AgentHandoffRequest: {
            /** @description The agent handing off (alias `fromAgent`), 1 to 200 characters. */
            from_agent: string;
            /** @description The agent taking over (alias `toAgent`); must differ from `from_agent`. */
            to_agent: string;
            /** @description What the next agent needs to know (alias `conversationContext`), at most 64 KiB of JSON. */
            conversation_context: {
                [key: string]: unknown;
            };
            /** @description Why (alias `handoffReason`); shown as the handoff's text. */
            handoff_reason: string;
            /** @description `low`, `medium` (default), `high` or `urgent`. */
            priority?: string | null;
            /**
             * Format: date-time
             * @description When the handoff happened, RFC 3339 (alias `handoffTime`).
             */
            handoff_time?: string | null;
        };
        /** @description Seed 002's AgentHandoffResponse. */
        AgentHandoffResponse: {
            /** @description Always `success`. */
            status: string;
            handoffId: string;
            /** @description Always true. */
            result: boolean;
            message: string;
        };
        ApprovalMessages: {
            /** @description Appended to the conversation when an approval is requested (1 to 2000 characters). */
            holding_line: string;
            /** @description Sent when the end user writes while an approval is pending (1 to 2000 characters). */
            waiting_reply: string;
        };
        ApprovalNode: {
            /** @description Must equal the node id in the path when given. */
            id?: string | null;
            /** @description Only `approval` exists. */
            type: string;
            condition: components["schemas"]["Condition"];
            approver_role?: string | null;
            suspend_message?: string | null;
            /** Format: int64 */
            timeout_seconds?: number | null;
            on_approve: string;
            on_deny: string;
        };
        /** @description Seed 001's ApprovalRequestDetail, plus the decision and where the workflow goes next. */
        ApprovalRead: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            conversation_id: string | null;
            /** @description `workflow_node`, `tool_call` or `question` (`ask_human`). */
            subject_kind: string;
            subject_ref: string;
            payload: {
                [key: string]: unknown;
            };
            approver_role: string | null;
            suspend_message: string | null;
            /** Format: date-time */
            timeout_at: string | null;
            /** @description pending | approved | denied | expired | cancelled (expired reads as a deny). */
            status: string;
            state: string;
            decision_note: string | null;
            decided_by: string | null;
            /** Format: date-time */
            decided_at: string | null;
            /** @description The payload as the approver edited it; execute this one when present. */
            decided_payload: {
                [key: string]: unknown;
            } | null;
            /** @description The JSON Schema the person's answer follows (typed answers), if one was asked for. */
            response_schema: Record<string, never> | null;
            /** @description The person's answer, valid against `response_schema` (once approved): any JSON value. */
            answer: unknown;
            workflow_id: string | null;
            node_id: string | null;
            /** @description Workflow nodes: `on_approve` once approved, `on_deny` once denied or expired. */
            next_node: string | null;
            /** Format: int64 */
            version: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description The list form: what an operator needs to pick an approval, without the payload. */
        ApprovalSummary: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            conversation_id: string | null;
            subject_kind: string;
            subject_ref: string;
            approver_role: string | null;
            suspend_message: string | null;
            /** Format: date-time */
            timeout_at: string | null;
            status: string;
            /** Format: date-time */
            created_at: string;
        };
        AssignBody: {
            /** @description Operator id or email; required for assign, optional for accept. */
            assignee?: string | null;
        };
        ChainInput: {
            name: string;
            /**
             * @description In order; step 1 is notified first.
             * @example [
             *       {
             *         "targets": [
             *           {
             *             "on_call": "<rotation id>"
             *           }
             *         ],
             *         "wait_seconds": 300
             *       },
             *       {
             *         "targets": [
             *           {
             *             "role": "lead"
             *           }
             *         ],
             *         "wait_seconds": 600
             *       }
             *     ]
             */
            steps: Record<string, never>[];
            /**
             * Format: int32
             * @description More rounds after the last step's wait, before the handoff expires.
             */
            repeat?: number;
        };
        ChainList: {
            data: components["schemas"]["ChainView"][];
        };
        ChainTimes: components["schemas"]["Percentiles"] & {
            chain_id: string;
            /** @description The chain's name when its creation recorded one. */
            chain_name?: string | null;
            /** @description Handoffs created on this chain in the period. */
            handoffs: number;
        };
        ChainView: {
            id: string;
            name: string;
            steps: Record<string, never>[];
            /** Format: int32 */
            repeat: number;
            created_at: string;
            updated_at: string;
        };
        Condition: {
            /** @description Only `expression` exists. */
            type: string;
            expression: string;
        };
        /** @description A conversation (thread) and where its transcript ends. */
        ConversationRead: {
            /** Format: uuid */
            id: string;
            organization_id: string;
            external_ref: string | null;
            /** @description `active`, `waiting_for_human`, `awaiting_approval` or `closed`. */
            status: string;
            /** @description Why it closed (`handoff_resolved`, …). */
            termination_reason: string | null;
            /** @description Why it is active again (`handed_back`, `approval_decided`, …). */
            status_reason: string | null;
            /**
             * Format: int64
             * @description The seq of the newest message; 0 when there is none.
             */
            last_seq: number;
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
        };
        CreateApproval: {
            /**
             * Format: uuid
             * @description The conversation that waits for the decision (UUID).
             */
            conversation_id: string;
            subject_kind: components["schemas"]["SubjectKind"];
            /** @description What is being approved (tool name, `workflow/node`), 1 to 200 characters. */
            subject_ref: string;
            /** @description The action's arguments, shown to the approver (default `{}`; at most 64 KiB of JSON). */
            payload?: {
                [key: string]: unknown;
            };
            /** @description Only operators with this role may decide (at most 200 characters). */
            approver_role?: string | null;
            /**
             * @description What the end user is shown while the approval is pending (at most 2000
             *     characters; appended to the conversation). Default: the organization's holding line.
             */
            suspend_message?: string | null;
            /**
             * Format: int64
             * @description Expire the approval after this many seconds (1 to 604800); none by default.
             */
            timeout_seconds?: number | null;
            /**
             * @description A JSON Schema for what the person answers (typed answers): the page shows a
             *     form for it and an approval then needs an `answer` that validates. At most
             *     16 KiB; no remote `$ref`. With `subject_kind: question` the `subject_ref` is
             *     the question (up to 2000 characters) and the default is free text.
             */
            response_schema?: Record<string, never> | null;
        };
        CreateConversation: {
            /** @description Your own id for the thread, at most 200 characters. */
            external_ref?: string | null;
        };
        CreateHandoff: {
            /** @description Only `takeover` can be created with this endpoint in this version. */
            kind: components["schemas"]["Kind"];
            /**
             * Format: uuid
             * @description The conversation being handed off (UUID).
             */
            conversation_id: string;
            source: components["schemas"]["Source"];
            packet: components["schemas"]["Packet"];
            /**
             * @description Seed 004: give the handoff to this operator (id or email) at once; the
             *     answer then carries `mobile_url`, that operator's signed single-use link.
             */
            assignee?: string | null;
        };
        CreateLead: {
            /**
             * Format: uuid
             * @description The conversation the agent already has with this person (UUID); without
             *     it, a new conversation is started for the lead.
             */
            conversation_id?: string | null;
            /**
             * @description Your own id for the new conversation (at most 200 characters; only
             *     without `conversation_id`).
             */
            external_ref?: string | null;
            /** @description At most 200 characters. */
            name?: string | null;
            /** @description An email address (at most 254 characters), stored in lower case. */
            email?: string | null;
            /** @description Digits, spaces and `+ - ( )` (at most 32 characters). */
            phone?: string | null;
            /** @description Where the lead came from, e.g. `web_chat` (at most 200 characters). */
            source?: string | null;
        };
        CreateWebhook: {
            /** @description Where events are POSTed (http or https). */
            url: string;
            /** @description Event names (`handoff.created`, `approval.decided`, …) or `["*"]` for all. */
            events: string[];
            signature_scheme?: components["schemas"]["SignatureScheme"] | null;
        };
        /** @description The created handoff, plus the link for its assignee (seed 004's quickstart). */
        CreatedHandoff: components["schemas"]["HandoffRead"] & {
            /**
             * @description With `assignee`: the operator's signed single-use link to `/m/<id>`
             *     (valid `link_ttl_seconds`, 60 s by default), for the agent to pass on.
             *     Null without an assignee: a link always belongs to one operator.
             */
            mobile_url: string | null;
        };
        Decide: {
            decision: components["schemas"]["DecisionWord"];
            /** @description Shown with the decision (at most 2000 characters). */
            note?: string | null;
            /** @description An edited payload; must keep `subject_kind` / `subject_ref` when they are given. */
            payload?: {
                [key: string]: unknown;
            } | null;
            /** @description When given, must equal the approval's `subject_kind`. */
            subject_kind?: string | null;
            /** @description When given, must equal the approval's `subject_ref`. */
            subject_ref?: string | null;
            /**
             * @description The answer, when the approval has a `response_schema`: required to approve,
             *     validated against the schema (422 naming `answer` when it does not match).
             */
            answer?: unknown;
        };
        /** @enum {string} */
        DecisionWord: "approve" | "deny";
        DeliveryList: {
            /** @description Newest first, at most 100. */
            data: components["schemas"]["DeliveryRead"][];
        };
        DeliveryRead: {
            id: string;
            /** @description The event's id, also sent as `webhook-id` (and `tapin-event-id`). */
            event_id: string;
            event: string;
            /** @description The handoff the event belongs to; null for a message written while no handoff was open. */
            handoff_id: string | null;
            /** @description The conversation of a `conversation.message`; null for lifecycle events. */
            conversation_id: string | null;
            /** @description `pending` (will be tried or retried), `delivered`, or `dead` (gave up; redeliver to try again). */
            status: string;
            /** Format: int64 */
            attempts: number;
            /** Format: int64 */
            last_status?: number | null;
            last_error?: string | null;
            next_attempt_at: string;
            created_at: string;
            delivered_at?: string | null;
        };
        ErrorBody: {
            code: components["schemas"]["ErrorCode"];
            message: string;
            /** @description Always present (empty when no single field is to blame). */
            fields: components["schemas"]["FieldError"][];
            /** @description A finer reason for machines (`link_used`, `invalid_transition`, …). */
            reason?: string | null;
        };
        /** @enum {string} */
        ErrorCode: "unauthorized" | "forbidden" | "rate_limited" | "bad_request" | "not_found" | "conflict" | "internal_error";
        /**
         * @description The one error shape of every endpoint.
         *     Every error response: `{"error": {"code", "message", "fields", "reason"?}}`.
         * @example {
         *       "error": {
         *         "code": "bad_request",
         *         "fields": [
         *           {
         *             "field": "packet.static_text",
         *             "message": "missing field `static_text`"
         *           }
         *         ],
         *         "message": "packet.static_text: missing field `static_text`"
         *       }
         *     }
         */
        ErrorEnvelope: {
            error: components["schemas"]["ErrorBody"];
        };
        EscalateBody: {
            /** @description Why (at most 200 characters); default `operator_escalation`. */
            reason?: string | null;
            /** @description What the operator should know (at most 1000 characters). */
            summary?: string | null;
        };
        EscalateResponse: {
            handoff_id: string;
            /** @description Only on `POST /leads/{id}/handoff`: the lead (= conversation) id. */
            lead_id?: string | null;
            conversation_id: string;
            /** @description `waiting_for_human` (`awaiting_human` on the lead endpoint). */
            conversation_status: string;
            /**
             * @description `slack` or `email`: the channel a notification of this handoff went out
             *     on, when one did within 3 s (other channels: see the handoff's
             *     notifications); null when neither was used by then.
             */
            notified_channel: string | null;
        };
        EvaluateBody: {
            /**
             * Format: uuid
             * @description The conversation an approval would suspend (UUID).
             */
            conversation_id: string;
            /** @description The values the condition reads (default `{}`); stored as the approval's payload. */
            variables?: {
                [key: string]: unknown;
            };
        };
        EvaluateResult: {
            /** @description The node to continue with when no approval is needed; null while an approval is pending. */
            next: string | null;
            approval: components["schemas"]["ApprovalRead"] | null;
            /** @description Why the condition could not be evaluated (the node then fails closed: approval required). */
            evaluation_error?: string | null;
        };
        /** @description One audit event of a handoff, linked into the organization's hash chain. */
        EventRead: {
            id: string;
            /**
             * Format: int64
             * @description Position in the organization's audit chain (also the SSE event id).
             */
            seq: number;
            handoff_id: string;
            /** @description `create`, `assign`, `accept`, `resolve`, `hand_back`, `decide`, … */
            event: string;
            /** @description Null for `create`. */
            from_state: string | null;
            to_state: string;
            actor: string;
            data: unknown;
            /** Format: date-time */
            created_at: string;
            /** @description `sha256(prev_hash || canonical_json(event))`, hex. */
            hash: string;
        };
        /** @description A problem with one named input field (JSON path such as `packet.static_text`). */
        FieldError: {
            field: string;
            message: string;
        };
        /** @description A handoff of any kind (seed 000 HandoffRead plus `kind`, `state`, `version`, `updated_at`). */
        HandoffRead: {
            /** Format: uuid */
            id: string;
            organization_id: string;
            kind: components["schemas"]["Kind"];
            /** Format: uuid */
            conversation_id: string | null;
            /** @description Always null in this version. */
            conv_turn_id: string | null;
            /** @description `packet.reason`. */
            reason: string | null;
            /** @description `packet.static_text`. */
            static_text: string;
            /**
             * @description Kind-specific view of the state. Takeovers: `requested`, `assigned`, `accepted`,
             *     `resolved`, `cancelled`; other kinds: the lifecycle state.
             */
            status: string;
            /**
             * @description The stored lifecycle state (`created`, `notified`, `escalated`, `opened`, `solving`,
             *     `solved`, `resume_requested`, `resumed`, `completed`, `expired`, `cancelled`, `failed`).
             */
            state: string;
            /**
             * @description Incremented by every step.
             *     low | medium | high | urgent.
             */
            priority: string;
            /** Format: int64 */
            version: number;
            /** @description The operator's id, once assigned. */
            assignee: string | null;
            /** @description `workflow_terminal`, `router`, `policy` or `operator`. */
            source: string;
            /** @description As sent, with `transcript_ptr` filled in by the server. */
            packet: components["schemas"]["Packet"];
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            updated_at: string;
            /** Format: date-time */
            resolved_at: string | null;
        };
        /** @description The milestones of one handoff. */
        HandoffTimes: {
            handoff_id: string;
            kind: string;
            /** @description The escalation chain it was routed to (`default` when none was recorded). */
            chain_id: string;
            created_at: string;
            notified_at?: string | null;
            opened_at?: string | null;
            /** @description The operator who opened it first. */
            opened_by?: string | null;
            /** @description First decide, solve, resolve or hand back. */
            solved_at?: string | null;
            /** @description Who did it: `operator:<id>`, `api_key:<id>`, … */
            solved_by?: string | null;
            resumed_at?: string | null;
            /**
             * Format: int64
             * @description Created → first opened.
             */
            time_to_open_ms?: number | null;
            /**
             * Format: int64
             * @description Created → solved.
             */
            time_to_decide_ms?: number | null;
        };
        /** @description `GET /api/v1/healthz`: the server is up and its database answers. */
        Health: {
            /** @description Always `ok` (a database that does not answer is a 503 error). */
            status: string;
            /** @description The server's version. */
            version: string;
            /** @description `sqlite` or `postgres`. */
            backend: string;
            /** @description Always `reachable` (this node reaches it). */
            database: string;
        };
        /**
         * @description What kind of "a human is needed" this handoff is (DESIGN.md).
         * @enum {string}
         */
        Kind: "approval" | "takeover" | "assist" | "agent";
        /** @description A lead (seed 003). `id` is also its conversation's id. */
        LeadRead: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            conversation_id: string;
            name: string | null;
            email: string | null;
            phone: string | null;
            source: string | null;
            /** Format: date-time */
            created_at: string;
        };
        MessageList: {
            data: components["schemas"]["MessageRead"][];
            /**
             * Format: int64
             * @description Pass as `since_seq` next time to get only newer messages.
             */
            last_seq: number;
        };
        /** @description One message of a conversation's append-only transcript. */
        MessageRead: {
            /** Format: uuid */
            id: string;
            /** Format: uuid */
            conversation_id: string;
            /**
             * Format: int64
             * @description 1, 2, 3, … within the conversation.
             */
            seq: number;
            /** @description `user`, `agent`, `operator` or `system`. */
            author: string;
            content: string;
            /** Format: date-time */
            created_at: string;
        };
        NotificationList: {
            /** @description Oldest first. */
            data: components["schemas"]["NotificationRead"][];
        };
        NotificationRead: {
            id: string;
            /** @description Null for a send that concerned no single operator. */
            operator_id?: string | null;
            /** @description push | email | slack | sms | voice, or `none` when the operator could not be reached. */
            channel: string;
            /**
             * Format: int64
             * @description The escalation step (1-based).
             */
            step: number;
            /** @description sent | failed | skipped */
            outcome: string;
            detail?: string | null;
            created_at: string;
        };
        OnCall: {
            at: string;
            /** @description Operator id, or null when nobody is on call. */
            operator_id?: string | null;
        };
        OperatorTimes: components["schemas"]["Percentiles"] & {
            operator_id: string;
            operator_name: string;
        };
        OverrideInput: {
            operator_id: string;
            /** Format: date-time */
            starts_at: string;
            /** Format: date-time */
            ends_at: string;
        };
        /** @description The complete packet an agent prepares for the human (seed 000 HandoffPacket). */
        Packet: {
            static_text: string;
            reason?: string | null;
            context_vars?: {
                [key: string]: unknown;
            };
            summary?: string | null;
            transcript_ptr?: components["schemas"]["TranscriptPtr"] | null;
            transfer_to?: string | null;
            transfer_label?: string | null;
        };
        /** @description A cursor-paginated list, newest first. */
        Page_ApprovalSummary: {
            data: {
                /** Format: uuid */
                id: string;
                /** Format: uuid */
                conversation_id: string | null;
                subject_kind: string;
                subject_ref: string;
                approver_role: string | null;
                suspend_message: string | null;
                /** Format: date-time */
                timeout_at: string | null;
                status: string;
                /** Format: date-time */
                created_at: string;
            }[];
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /** @description A cursor-paginated list, newest first. */
        Page_HandoffRead: {
            data: {
                /** Format: uuid */
                id: string;
                organization_id: string;
                kind: components["schemas"]["Kind"];
                /** Format: uuid */
                conversation_id: string | null;
                /** @description Always null in this version. */
                conv_turn_id: string | null;
                /** @description `packet.reason`. */
                reason: string | null;
                /** @description `packet.static_text`. */
                static_text: string;
                /**
                 * @description Kind-specific view of the state. Takeovers: `requested`, `assigned`, `accepted`,
                 *     `resolved`, `cancelled`; other kinds: the lifecycle state.
                 */
                status: string;
                /**
                 * @description The stored lifecycle state (`created`, `notified`, `escalated`, `opened`, `solving`,
                 *     `solved`, `resume_requested`, `resumed`, `completed`, `expired`, `cancelled`, `failed`).
                 */
                state: string;
                /**
                 * @description Incremented by every step.
                 *     low | medium | high | urgent.
                 */
                priority: string;
                /** Format: int64 */
                version: number;
                /** @description The operator's id, once assigned. */
                assignee: string | null;
                /** @description `workflow_terminal`, `router`, `policy` or `operator`. */
                source: string;
                /** @description As sent, with `transcript_ptr` filled in by the server. */
                packet: components["schemas"]["Packet"];
                /** Format: date-time */
                created_at: string;
                /** Format: date-time */
                updated_at: string;
                /** Format: date-time */
                resolved_at: string | null;
            }[];
            /** @description Pass as `cursor` to get the next page; null on the last page. */
            next_cursor: string | null;
        };
        /** @description p50/p95 of one group's times (nearest rank; null when the group has none). */
        Percentiles: {
            /** @description Handoffs opened (for an operator: opened first by them). */
            opened: number;
            /** Format: int64 */
            time_to_open_p50_ms?: number | null;
            /** Format: int64 */
            time_to_open_p95_ms?: number | null;
            /** @description Handoffs decided or solved (for an operator: by them). */
            decided: number;
            /** Format: int64 */
            time_to_decide_p50_ms?: number | null;
            /** Format: int64 */
            time_to_decide_p95_ms?: number | null;
        };
        PolicyInput: {
            name: string;
            /**
             * @description An expression over the handoff (README: "Policies").
             * @example kind == 'approval' and subject_ref == 'lookup_order'
             */
            condition: string;
            actions: Record<string, never>;
        };
        PolicyList: {
            /** @description In evaluation order: the first match wins. */
            data: components["schemas"]["PolicyView"][];
        };
        PolicyListInput: {
            /** @description The whole ordered list; it replaces the current one. */
            policies: components["schemas"]["PolicyInput"][];
        };
        /** @description A made-up handoff to try the policies on (nothing is created). */
        PolicySample: {
            /** @description approval | takeover | assist | agent */
            kind: string;
            source?: string | null;
            priority?: string | null;
            packet?: Record<string, never>;
            approver_role?: string | null;
            subject_kind?: string | null;
            subject_ref?: string | null;
            payload?: Record<string, never>;
            /**
             * Format: date-time
             * @description The moment to evaluate at (time-of-day rules); default now.
             */
            at?: string | null;
        };
        PolicyTestResult: {
            /** @description The first matching policy, or null (the default route applies). */
            matched?: Record<string, never> | null;
            chain_id?: string | null;
            chain_name?: string | null;
            priority: string;
            /** @description approve | deny | resolve, when the policy resolves without a person. */
            auto_resolve?: string | null;
            /** Format: int64 */
            expire_after_seconds?: number | null;
            /** @description Policies whose condition could not be decided for this sample (they never match). */
            errors: Record<string, never>[];
            /** @description The variables the conditions saw. */
            variables: Record<string, never>;
        };
        PolicyView: {
            id: string;
            /** Format: int64 */
            position: number;
            name: string;
            condition: string;
            actions: Record<string, never>;
        };
        PostMessage: {
            /** @description `user`, `agent`, `operator` or `system`. */
            author: string;
            /** @description 1 to 20000 characters. */
            content: string;
        };
        /** @description An operator's contact details and channel choices. */
        Preferences: {
            /** @description E.164 phone number for SMS and voice, e.g. `+4915112345678`. */
            phone?: string | null;
            /**
             * @description For each urgency (`low`, `medium`, `high`, `urgent`), the channels to use:
             *     `push`, `email`, `slack`, `sms`, `voice`.
             */
            channels: Record<string, never>;
        };
        ReasonBody: {
            /** @description Recorded in the audit trail; at most 1000 characters. */
            reason?: string | null;
        };
        RelayBody: {
            /** @description The operator's message, 1 to 20000 characters. */
            content: string;
            /**
             * @description Your own reference for this message (1-100 visible ASCII): sending the
             *     same one again returns the first message instead of a duplicate.
             */
            client_ref?: string | null;
        };
        RotationInput: {
            name: string;
            /**
             * @description Operator ids in turn order; each is on call for one week, handing over
             *     at `starts_at`'s weekday and wall-clock time in the organization's zone.
             */
            operators: string[];
            /**
             * Format: date-time
             * @description The first handover (RFC 3339).
             */
            starts_at: string;
            overrides?: Record<string, never>[];
        };
        RotationList: {
            data: components["schemas"]["RotationView"][];
        };
        RotationView: {
            id: string;
            name: string;
            operators: string[];
            starts_at: string;
            overrides: Record<string, never>[];
            /** @description Who is on call right now (null before the start or with nobody in it). */
            on_call_now?: string | null;
            created_at: string;
            updated_at: string;
        };
        SecurityEventList: {
            data: components["schemas"]["SecurityEventRead"][];
        };
        /** @description One entry of the security log. */
        SecurityEventRead: {
            id: string;
            /** @description RFC 3339. */
            created_at: string;
            /** @description `operator:<id>` or `key:<id>`: who made the change. */
            actor: string;
            /** @description `operator.phone_changed`, `operator.push_added`, `operator.push_removed` or `organization.slack_hook_changed`. */
            action: string;
            /** @description The operator concerned (null: the organization). */
            operator_id?: string | null;
            /** @description What changed (a Slack hook or push endpoint by its host only). */
            data: Record<string, never>;
            /** @description How those concerned were told: `email`, `push (N devices)`, or why nobody could be. */
            notice: string;
        };
        SettingsInput: {
            /** @description The chain for handoffs no policy routes (null: everyone who may act, told once). */
            default_chain_id?: string | null;
            /** @description A Slack incoming-webhook URL for the `slack` channel (null: no Slack). */
            slack_webhook_url?: string | null;
            /**
             * @description The organization's IANA time zone (`Europe/Berlin`; `UTC` until set):
             *     policy conditions read `hour`, `minute`, `time` and `weekday` in it,
             *     rotations hand over at its wall-clock time, pages show times in it.
             *     Left out of a PUT: unchanged.
             * @example Europe/Berlin
             */
            time_zone?: string | null;
        };
        /**
         * @description Which signature headers deliveries carry. `standard`: the Standard Webhooks
         *     headers `webhook-id`, `webhook-timestamp`, `webhook-signature`. `tapin-v1`:
         *     those and the legacy `tapin-signature` (deprecated; kept for one release).
         * @enum {string}
         */
        SignatureScheme: "standard" | "tapin-v1";
        /**
         * @description Where a handoff came from (seed 000 `source`).
         * @enum {string}
         */
        Source: "workflow_terminal" | "router" | "policy" | "operator";
        /** @enum {string} */
        SubjectKind: "workflow_node" | "tool_call" | "question";
        /** @description The whole report for a period. */
        TimeToHuman: {
            /** @description The period asked for (by creation time; `to` exclusive), null when open. */
            from?: string | null;
            to?: string | null;
            /** @description Handoffs created in the period. */
            handoffs_total: number;
            /**
             * @description The newest of them (at most the report's list limit), oldest first;
             *     the groups below cover all of them.
             */
            handoffs: components["schemas"]["HandoffTimes"][];
            by_operator: components["schemas"]["OperatorTimes"][];
            by_chain: components["schemas"]["ChainTimes"][];
        };
        /** @description Pointer into the conversation's append-only transcript (seed 000 TranscriptPtr). */
        TranscriptPtr: {
            conversation_id: string;
            /** Format: int64 */
            up_to_seq?: number | null;
        };
        UpdateWebhook: {
            url?: string | null;
            events?: string[] | null;
            signature_scheme?: components["schemas"]["SignatureScheme"] | null;
        };
        WaitResult: {
            /** @description False when the wait timed out with the approval still pending: call again. */
            decided: boolean;
            approval: components["schemas"]["ApprovalRead"];
        };
        WebhookList: {
            data: components["schemas"]["WebhookRead"][];
        };
        WebhookRead: {
            id: string;
            url: string;
            events: string[];
            signature_scheme: components["schemas"]["SignatureScheme"];
            /**
             * @description While a rotation overlap lasts: until when the replaced secret still signs
             *     (its signature follows the current one in `webhook-signature`); else null.
             */
            previous_secret_expires_at: string | null;
            created_at: string;
            updated_at: string;
        };
        /** @description Returned on creation and rotation only: the signing secret is never shown again. */
        WebhookWithSecret: {
            id: string;
            url: string;
            events: string[];
            /**
             * @description `whsec_<base64>`: give it to a Standard Webhooks library to verify
             *     `webhook-signature` (see the README's "Webhooks").
             */
            secret: string;
            signature_scheme: components["schemas"]["SignatureScheme"];
            /** @description After a rotation: until when the replaced secret still signs; null on creation. */
            previous_secret_expires_at: string | null;
            created_at: string;
            updated_at: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The server is up and its database answers. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description `internal_error` with `reason: database_unreachable`: the database does not answer this node within 2 s; the node keeps trying and answers 200 again once it does. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    openapi: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The OpenAPI document. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    reference: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The reference page. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/html": string;
                };
            };
        };
    };
    create_conversation: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description Optional `external_ref`: your own id for the thread (at most 200 characters). */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateConversation"];
            };
        };
        responses: {
            /** @description The conversation. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConversationRead"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `external_ref` (over 200 characters), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_conversation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Conversation id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The conversation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ConversationRead"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such conversation in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_messages: {
        parameters: {
            query?: {
                /** @description Only messages with a greater `seq` (default 0: from the start). */
                since_seq?: number;
                /** @description At most this many messages (default 100; clamped to 1–500). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description Conversation id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The messages after `since_seq`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageList"];
                };
            };
            /** @description `bad_request` naming the query parameter in `fields`: unparseable value or unknown parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such conversation in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `since_seq` (negative). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    post_message: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Conversation id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PostMessage"];
            };
        };
        responses: {
            /** @description The appended message. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageRead"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such conversation in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. `reason`: `conversation_owned_by_human` (an agent message while a human owns the conversation) or `conversation_closed`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `author` (missing, or not one of user, agent, operator, system), `content` (missing, empty or over 20000 characters), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    escalate_conversation: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Conversation id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional `reason` (default `operator_escalation`) and `summary` shown to the operator. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EscalateBody"];
            };
        };
        responses: {
            /** @description The takeover was recorded; `conversation_status` is `waiting_for_human`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EscalateResponse"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such conversation in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` with `reason: conversation_closed`: a closed conversation cannot be escalated. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `reason` (over 200 characters), `summary` (over 1000 characters), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    conversation_events: {
        parameters: {
            query?: never;
            header?: {
                /** @description Resume after this event id (the last `id:` received). */
                "Last-Event-ID"?: number;
            };
            path: {
                /** @description Conversation id (UUID). */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream (never ends on its own). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such conversation in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `Last-Event-ID`: not an event id this stream sent (a non-negative integer). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_handoffs: {
        parameters: {
            query?: {
                /**
                 * @description A lifecycle state (`created`, `notified`, `escalated`, `opened`, `solving`, …,
                 *     `cancelled`) of any kind, or a seed-000 takeover status (`requested`,
                 *     `assigned`, `accepted`, `resolved`), which lists takeovers only.
                 */
                status?: string;
                kind?: components["schemas"]["Kind"];
                /** @description Page size, 1 to 200 (default 50). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
                /**
                 * @description Search (case-insensitive, up to 100 characters): the packet's text, the
                 *     approval's subject, the conversation's customer reference, or the name of
                 *     the operator it is assigned to or was decided by.
                 */
                q?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of handoffs. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_HandoffRead"];
                };
            };
            /** @description `bad_request` naming the query parameter in `fields`: unparseable value (e.g. `limit=x`, unknown `kind`) or unknown parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `status` (neither a takeover status nor a lifecycle state, or a takeover status with another `kind`), `limit` (outside 1–200), `cursor` (not from a previous page), `q` (longer than 100 characters). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateHandoff"];
            };
        };
        responses: {
            /** @description The handoff was recorded (status `requested`, or `assigned` with an assignee). */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedHandoff"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` with `reason: conversation_closed`: a closed conversation cannot be handed off. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming each field by JSON path: `kind` (only `takeover` here), `conversation_id` (not a UUID, or no such conversation in this organization), `source`, `packet`, `packet.static_text` (missing, empty or over 2000 characters), `packet.reason` / `packet.summary` / `packet.transfer_to` / `packet.transfer_label` (over 20000 characters), `packet.context_vars` (over 64 KiB of JSON), `assignee` (no active operator with that id or email in this organization), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_handoff: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The handoff. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    resolve_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The resolved handoff. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    assign_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AssignBody"];
            };
        };
        responses: {
            /** @description The handoff after the assignment. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `assignee` (missing, or no active operator with that id or email in this organization), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    accept_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional `assignee`: operator id or email. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["AssignBody"];
            };
        };
        responses: {
            /** @description The accepted handoff. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `assignee` (no active operator with that id or email in this organization), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    cancel_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional `reason` (at most 1000 characters), recorded in the audit trail. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReasonBody"];
            };
        };
        responses: {
            /** @description The handoff after the step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    handback_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional `reason` (at most 1000 characters), recorded in the audit trail. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReasonBody"];
            };
        };
        responses: {
            /** @description The handoff after the step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    relay_handoff_message: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RelayBody"];
            };
        };
        responses: {
            /** @description The appended message. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MessageRead"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. `reason`: `handoff_finished` (the handoff is no longer open), `no_conversation` (the handoff has none) or `conversation_closed`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `content` (missing, empty or over 20000 characters), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    resume_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional `reason` (at most 1000 characters), recorded in the audit trail. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReasonBody"];
            };
        };
        responses: {
            /** @description The handoff after the step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    complete_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional `reason` (at most 1000 characters), recorded in the audit trail. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReasonBody"];
            };
        };
        responses: {
            /** @description The handoff after the step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    fail_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional `reason` (at most 1000 characters), recorded in the audit trail. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["ReasonBody"];
            };
        };
        responses: {
            /** @description The handoff after the step. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HandoffRead"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: the lifecycle refuses the step. `reason`: `invalid_transition` (not from the current state), `handoff_finished` (nothing leaves a finished handoff), `event_not_for_kind` (the step does not exist for this kind), `version_conflict` (a concurrent change won; read again and retry) or `taken` (another operator has it). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `reason` (longer than 1000 characters) or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    handoff_events: {
        parameters: {
            query?: never;
            header?: {
                /** @description SSE only: resume after this event id (the last `id:` received). */
                "Last-Event-ID"?: number;
            };
            path: {
                /** @description Handoff id (UUID). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The audit trail. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EventRead"][];
                    "text/event-stream": string;
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such handoff in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `Last-Event-ID`: not an event id this stream sent (a non-negative integer). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    lead_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Lead id: the lead's conversation id (UUID). */
                id: string;
            };
            cookie?: never;
        };
        /** @description Optional `reason` (default `operator_escalation`) and `summary` shown to the operator. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["EscalateBody"];
            };
        };
        responses: {
            /** @description The takeover was recorded; `conversation_status` is `awaiting_human`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EscalateResponse"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such conversation in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` with `reason: conversation_closed`: a closed conversation cannot be escalated. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `reason` (over 200 characters), `summary` (over 1000 characters), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_lead: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        /** @description All fields optional. */
        requestBody?: {
            content: {
                "application/json": components["schemas"]["CreateLead"];
            };
        };
        responses: {
            /** @description The lead. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadRead"];
                };
            };
            /** @description `bad_request`: malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` with `reason: lead_exists`: the conversation already has a lead. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming each field: `conversation_id` (not a UUID, or no such conversation in this organization), `external_ref` (over 200 characters, or given with `conversation_id`), `name` / `source` (over 200 characters), `email` (not an address, or over 254 characters), `phone` (other characters, or over 32), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_lead: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Lead id (= its conversation id). An id that is not a UUID, or belongs to another organization, is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The lead. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LeadRead"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such lead in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    agent_handoff: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AgentHandoffRequest"];
            };
        };
        responses: {
            /** @description The handoff was recorded. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AgentHandoffResponse"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `from_agent` / `to_agent` (missing, empty, over 200 characters, or equal), `handoff_reason` (missing, empty or over 2000 characters), `conversation_context` (missing, not an object, or over 64 KiB of JSON), `priority` (not low, medium, high or urgent), `handoff_time` (not RFC 3339), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_approvals: {
        parameters: {
            query?: {
                /** @description `pending`, `approved`, `denied`, `expired` or `cancelled`. */
                status?: string;
                /** @description Page size, 1 to 200 (default 50). */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One page of approvals. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Page_ApprovalSummary"];
                };
            };
            /** @description `bad_request` naming the query parameter in `fields`: unparseable value or unknown parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `status` (not pending, approved, denied, expired or cancelled), `limit` (outside 1–200), `cursor` (not from a previous page). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_approval: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateApproval"];
            };
        };
        responses: {
            /** @description The pending approval. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalRead"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` with `reason: conversation_closed`: a closed conversation cannot wait for an approval. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `conversation_id` (not a UUID, or no such conversation in this organization), `subject_kind`, `subject_ref` (missing, empty or over 200 characters), `approver_role` (over 200 characters), `suspend_message` (over 2000 characters), `payload` (over 64 KiB of JSON), `timeout_seconds` (outside 1–604800), `response_schema` (not an object, over 16 KiB, or not a usable JSON Schema), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_approval: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Approval id (UUID). An id that is not a UUID, belongs to another organization or is not an approval is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The approval. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalRead"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such approval in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    decide_approval: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Approval id (UUID). An id that is not a UUID, belongs to another organization or is not an approval is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Decide"];
            };
        };
        responses: {
            /** @description The decided approval (`status` approved or denied; `next_node` for workflow nodes). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalRead"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the key lacks the `approvals:decide` scope, or (`reason: self_approval`) it is the key that requested this approval. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such approval in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`: already decided, expired or cancelled. `reason`: `handoff_finished`, `invalid_transition` or `version_conflict`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `decision` (missing, or not approve/deny), `note` (over 2000 characters), `payload` (over 64 KiB of JSON), `subject_kind` / `subject_ref` (an edit that changes what is approved), `answer` (missing when the approval has a `response_schema`, not matching it, or given with a deny or without a schema), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    wait_approval: {
        parameters: {
            query?: {
                /** @description Seconds to wait at most, 0 to 60 (default 30). */
                timeout?: number;
            };
            header?: never;
            path: {
                /** @description Approval id (UUID). An id that is not a UUID, belongs to another organization or is not an approval is a 404. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The approval, and whether it is decided. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WaitResult"];
                };
            };
            /** @description `bad_request` naming the query parameter in `fields`: unparseable value or unknown parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such approval in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `timeout` (over 60). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_approval_messages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The organization's holding line and waiting reply (defaults until set). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalMessages"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    put_approval_messages: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalMessages"];
            };
        };
        responses: {
            /** @description The saved messages. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalMessages"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `holding_line` / `waiting_reply` (missing, empty or over 2000 characters), or an unknown field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_node: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Workflow id: 1-200 letters, digits, `-`, `_` or `.`. */
                workflow_id: string;
                /** @description Node id: 1-200 letters, digits, `-`, `_` or `.`. */
                node_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The node. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalNode"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such node in this organization (also for malformed ids). */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    put_node: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Workflow id: 1-200 letters, digits, `-`, `_` or `.`. */
                workflow_id: string;
                /** @description Node id: 1-200 letters, digits, `-`, `_` or `.`. */
                node_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ApprovalNode"];
            };
        };
        responses: {
            /** @description The saved node. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApprovalNode"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming each field: `workflow_id` / `node_id` (path ids with other characters), `id` (differs from the path), `type` (not `approval`), `condition.type` (not `expression`), `condition.expression` (does not parse; the message gives the position), `on_approve` / `on_deny` (empty or over 200 characters), `timeout_seconds` (outside 1–604800), or an unknown field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    evaluate_node: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Workflow id: 1-200 letters, digits, `-`, `_` or `.`. */
                workflow_id: string;
                /** @description Node id: 1-200 letters, digits, `-`, `_` or `.`. */
                node_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["EvaluateBody"];
            };
        };
        responses: {
            /** @description What the node decided. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["EvaluateResult"];
                };
            };
            /** @description `bad_request`: empty body, malformed JSON, or a Content-Type other than `application/json`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such node in this organization. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` with `reason: conversation_closed`: an approval cannot be requested in a closed conversation. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field: `conversation_id` (not a UUID, or no such conversation in this organization), `variables` (not an object, or over 64 KiB of JSON), or an unknown field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    audit_stream: {
        parameters: {
            query?: never;
            header?: {
                /** @description Resume after this event id (the last `id:` received). */
                "Last-Event-ID"?: number;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream (never ends on its own). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `Last-Event-ID`: not an event id this stream sent (a non-negative integer). */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    audit_export_jsonl: {
        parameters: {
            query?: {
                /** @description Only events created at or after this RFC 3339 time. */
                from?: string;
                /** @description Only events created before this RFC 3339 time. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One event per line. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/x-ndjson": string;
                };
            };
            /** @description `bad_request` naming the unknown query parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `from` or `to`: not an RFC 3339 time. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    audit_export_csv: {
        parameters: {
            query?: {
                /** @description Only events created at or after this RFC 3339 time. */
                from?: string;
                /** @description Only events created before this RFC 3339 time. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A header row, then one event per row; `data` holds the event's JSON. Cells that a spreadsheet would run as a formula start with `'`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            /** @description `bad_request` naming the unknown query parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `from` or `to`: not an RFC 3339 time. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    audit_security: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SecurityEventList"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the key lacks the `admin` scope. */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_webhooks: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookList"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_webhook: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateWebhook"];
            };
        };
        responses: {
            /** @description The subscription, with its secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /** @description `bad_request`: malformed JSON or an unknown field, named in `fields`. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` with `reason: idempotency_secret_not_replayed`: a retry of a request that already created the subscription (same `Idempotency-Key`); the secret is not shown again. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `url` (not http/https), `events` (empty or unknown name) or `signature_scheme` (not `standard` or `tapin-v1`). `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (UUID). Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscription (no secret). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookRead"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    delete_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (UUID). Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    update_webhook: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Webhook id (UUID). Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateWebhook"];
            };
        };
        responses: {
            /** @description The subscription (no secret). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookRead"];
                };
            };
            /** @description `bad_request`: malformed JSON or an unknown field. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `url`, `events` or `signature_scheme`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    rotate_webhook_secret: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Webhook id (UUID). Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The subscription with its new secret. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WebhookWithSecret"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` with `reason: idempotency_secret_not_replayed`: a retry of a rotation that already happened (same `Idempotency-Key`). With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_webhook_deliveries: {
        parameters: {
            query?: {
                /** @description `pending`, `delivered` or `dead`. */
                status?: string;
            };
            header?: never;
            path: {
                /** @description Webhook id (UUID). Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Newest first, at most 100. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["DeliveryList"];
                };
            };
            /** @description `bad_request` naming an unknown query parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `status`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    redeliver_webhook_delivery: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Webhook id (UUID). Another organization's id is a 404 like a missing one. */
                id: string;
                /** @description Delivery id from the delivery log. */
                delivery_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Queued. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`: no such subscription or delivery. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_escalation_chains: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description By name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainList"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_escalation_chain: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChainInput"];
            };
        };
        responses: {
            /** @description The chain. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainView"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field, e.g. `steps[1].targets[0].on_call`. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_escalation_chain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Escalation chain id. Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The chain. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainView"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    update_escalation_chain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Escalation chain id. Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["ChainInput"];
            };
        };
        responses: {
            /** @description The chain. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ChainView"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    delete_escalation_chain: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Escalation chain id. Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` (`chain_in_use`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_rotations: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description By name. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotationList"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    create_rotation: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotationInput"];
            };
        };
        responses: {
            /** @description The rotation, with who is on call now. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotationView"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_rotation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Rotation id. Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The rotation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotationView"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    update_rotation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Rotation id. Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RotationInput"];
            };
        };
        responses: {
            /** @description The rotation. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotationView"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    delete_rotation: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Rotation id. Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Deleted. */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict` (`rotation_in_use`). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    add_rotation_override: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path: {
                /** @description Rotation id. Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["OverrideInput"];
            };
        };
        responses: {
            /** @description The rotation with the override. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RotationView"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `operator_id` or `ends_at`. `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    rotation_on_call: {
        parameters: {
            query?: {
                /** @description RFC 3339; default now. */
                at?: string;
            };
            header?: never;
            path: {
                /** @description Rotation id. Another organization's id is a 404 like a missing one. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The operator on call at `at`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OnCall"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_policies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description In evaluation order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyList"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    replace_policies: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicyListInput"];
            };
        };
        responses: {
            /** @description The new list. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyList"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming the field, e.g. `policies[2].condition` with the error's position. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    test_policies: {
        parameters: {
            query?: never;
            header?: {
                /** @description Makes a retry safe: the same key with the same request replays the first response (`Idempotent-Replayed: true`). */
                "Idempotency-Key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PolicySample"];
            };
        };
        responses: {
            /** @description What routing would do. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PolicyTestResult"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `conflict`. With `Idempotency-Key`: `reason: idempotency_key_reused` (the key was used with another request) or `idempotency_in_progress` (the first request is still being processed). */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `kind`, `source`, `priority`, `packet` or a packet field (`packet.context_vars` over 64 KiB of JSON, a text over its bound), `approver_role` / `subject_ref` (over 200 characters) or `payload` (over 64 KiB of JSON). `Idempotency-Key` when it is not 1 to 255 visible ASCII characters. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_routing_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The settings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SettingsInput"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    put_routing_settings: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SettingsInput"];
            };
        };
        responses: {
            /** @description The settings. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SettingsInput"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `default_chain_id`, `slack_webhook_url` or `time_zone`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    get_operator_channels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Operator id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Phone and channel choices. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    put_operator_channels: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Operator id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Preferences"];
            };
        };
        responses: {
            /** @description Saved. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `phone` or `channels.<urgency>`. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    list_handoff_notifications: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description Handoff id. */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Oldest first. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["NotificationList"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `not_found`. */
            404: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    audit_trace_stream: {
        parameters: {
            query?: {
                /** @description Start after this audit seq (`0`: from the first event). `Last-Event-ID` wins when both are sent. */
                after_seq?: number;
            };
            header?: {
                /** @description Resume after this event id (the last `id:` received). */
                "Last-Event-ID"?: number;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The event stream (never ends on its own). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
            /** @description `bad_request` naming an unknown query parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `after_seq` or `Last-Event-ID`: not a non-negative integer. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
    time_to_human: {
        parameters: {
            query?: {
                /** @description Only handoffs created at or after this RFC 3339 time. */
                from?: string;
                /** @description Only handoffs created before this RFC 3339 time. */
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The report. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TimeToHuman"];
                };
            };
            /** @description `bad_request` naming an unknown query parameter. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `unauthorized`: missing, malformed, unknown or revoked API key. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `forbidden`: the API key lacks the scope this operation needs (the message names it). */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `bad_request` naming `from` or `to`: not an RFC 3339 time. */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `rate_limited`: this API key's rate limit is exhausted; retry after `Retry-After` seconds. */
            429: {
                headers: {
                    /** @description Seconds to wait before retrying. */
                    "Retry-After"?: number;
                    /** @description Requests a minute allowed for this key. */
                    "X-RateLimit-Limit"?: number;
                    /** @description Requests left now (0). */
                    "X-RateLimit-Remaining"?: number;
                    /** @description Unix epoch seconds at which the full budget is back (seed 003). */
                    "X-RateLimit-Reset"?: number;
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
            /** @description `internal_error`: logged with the request id (`x-request-id`). */
            500: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorEnvelope"];
                };
            };
        };
    };
}
