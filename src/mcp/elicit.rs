//! URL-mode elicitation (MCP 2025-11-25 added the mode; tapin uses it through
//! the 2026-07-28 multi round-trip flow, SEP-2322). When the client says it can
//! show the person a URL (`elicitation.url` in the request's
//! `io.modelcontextprotocol/clientCapabilities`), `request_approval` and
//! `ask_human` answer the first call with `input_required`: one
//! `elicitation/create` in URL mode pointing at the approval's page on tapin,
//! so the decision (or a typed, perhaps sensitive, answer) is given there and
//! never passes through the chat or the model. The client retries the call
//! with the person's response and the `requestState` tapin gave; the retry
//! returns the approval's status without creating anything.
//!
//! Why not over the 2025 protocols: tapin's `/mcp` is stateless (any node
//! answers any request), so the client's answer to a server-sent
//! `elicitation/create` would reach a server that is not waiting for it;
//! rmcp's stateless transport refuses such responses. The 2026-07-28 flow
//! carries everything in the retried request instead.
//!
//! The URL is the page `/m/<id>`, not a signed link: the MCP client and the
//! model see every URL they are handed, and a signed link signs its holder in
//! as the operator, which would let the agent that asked approve its own
//! request. The person signs in on the page (an open session is reused).

use crate::service::App;
use hmac::{Hmac, Mac};
use rmcp::model::{
    ElicitRequest, ElicitRequestParams, InputRequest, InputRequests, InputRequiredResult,
    ProtocolVersion,
};
use rmcp::service::RequestContext;
use rmcp::RoleServer;
use sha2::Sha256;

/// The key of the one input request in the round trip.
pub const INPUT_KEY: &str = "tapin_page";

/// Whether this call can be answered with a URL-mode elicitation: a client
/// of protocol 2026-07-28 or later that declares `elicitation.url`.
pub fn client_opens_urls(ctx: &RequestContext<RoleServer>) -> bool {
    let modern = ctx
        .protocol_version()
        .is_some_and(|v| v >= ProtocolVersion::V_2026_07_28);
    let url_mode = ctx
        .client_capabilities()
        .and_then(|c| c.elicitation)
        .is_some_and(|e| e.url.is_some());
    modern && url_mode
}

fn mac(app: &App, key_id: &str, approval_id: &str) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(app.link_key()).expect("HMAC takes any key length");
    m.update(b"mcp-elicitation/v1:");
    m.update(key_id.as_bytes());
    m.update(b":");
    m.update(approval_id.as_bytes());
    hex::encode(m.finalize().into_bytes())
}

/// The `requestState` echoed by the retry: the approval id, signed for the
/// API key that asked (the client may not change it or use another key's).
pub fn state_for(app: &App, key_id: &str, approval_id: &str) -> String {
    format!("{approval_id}.{}", mac(app, key_id, approval_id))
}

/// The approval a retry's `requestState` names, if tapin signed it for this key.
pub fn approval_of_state(app: &App, key_id: &str, state: &str) -> Option<String> {
    let (id, tag) = state.split_once('.')?;
    let want = mac(app, key_id, id);
    use subtle::ConstantTimeEq;
    bool::from(want.as_bytes().ct_eq(tag.as_bytes())).then(|| id.to_string())
}

/// The first answer: "open this page", and the state for the retry.
pub fn open_page(app: &App, key_id: &str, approval_id: &str, what: &str) -> InputRequiredResult {
    let url = format!("{}/m/{approval_id}", app.config.public_base());
    let message: String = format!("Decide in tapin (sign in there if asked): {what}")
        .chars()
        .take(500)
        .collect();
    let request = ElicitRequest::new(ElicitRequestParams::UrlElicitationParams {
        meta: None,
        message,
        url,
        elicitation_id: approval_id.to_string(),
    });
    let mut requests = InputRequests::new();
    requests.insert(INPUT_KEY.to_string(), InputRequest::Elicitation(request));
    InputRequiredResult::new(Some(requests), Some(state_for(app, key_id, approval_id)))
}
