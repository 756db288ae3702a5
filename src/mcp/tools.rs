//! The MCP tools and resources. Each one authenticates as the request's API
//! key (put in the request by `super::authenticate`), checks the scope the
//! matching REST endpoint needs, and calls the service layer: an MCP call and
//! a REST call do exactly the same thing, with the same audit trail.

use crate::api::views::{status_of, ApprovalRead, HandoffRead, MessageRead};
use crate::domain::approval::SubjectKind;
use crate::domain::{Kind, Packet, Source};
use crate::error::AppError;
use crate::service::approvals::{self, NewApproval};
use crate::service::handoffs::{self, NewTakeover};
use crate::service::keys::ApiPrincipal;
use crate::service::{conversations, parse_id, App};
use rmcp::handler::server::router::tool::ToolRouter;
use rmcp::handler::server::tool::Extension;
use rmcp::handler::server::tool::RequestState;
use rmcp::handler::server::wrapper::Parameters;
use rmcp::model::{
    CallToolResult, ContentBlock, Implementation, InputRequiredResult, ListResourceTemplatesResult,
    ListResourcesResult, PaginatedRequestParams, ReadResourceRequestParams, ReadResourceResponse,
    ReadResourceResult, ResourceContents, ResourceTemplate, ServerCapabilities, ServerConfig,
};
use rmcp::service::RequestContext;
use rmcp::{tool, tool_handler, tool_router, ErrorData, Json, RoleServer, ServerHandler};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::time::Duration;

/// The longest `wait_for_decision` waits: clients time a tool call out at
/// about 60 s, so the answer must come well before.
pub const WAIT_MAX_SECONDS: u64 = 50;
pub const WAIT_DEFAULT_SECONDS: u64 = 25;

/// An `AppError` as an MCP tool error: `isError: true`, the error envelope as
/// text. A model reads the message (which names the field or the scope); a
/// program can parse the envelope.
pub struct ToolError(pub AppError);

impl From<AppError> for ToolError {
    fn from(e: AppError) -> Self {
        ToolError(e)
    }
}

impl rmcp::handler::server::tool::IntoCallToolResult for ToolError {
    fn into_call_tool_result(self) -> Result<rmcp::model::CallToolResponse, rmcp::ErrorData> {
        let envelope = serde_json::json!({ "error": self.0 });
        Ok(CallToolResult::error(vec![ContentBlock::text(envelope.to_string())]).into())
    }
}

/// What `request_approval` and `ask_human` answer: the status, or first (for
/// a client that opens URLs) the approval's page to open (`super::elicit`).
pub enum Answer {
    Status(Status),
    OpenPage(InputRequiredResult),
}

impl rmcp::handler::server::tool::IntoCallToolResult for Answer {
    fn into_call_tool_result(self) -> Result<rmcp::model::CallToolResponse, rmcp::ErrorData> {
        match self {
            Answer::Status(s) => Json(s).into_call_tool_result(),
            Answer::OpenPage(r) => Ok(r.into()),
        }
    }
}

/// The tapin MCP server: one per request (stateless), holding the `App`.
#[derive(Clone)]
pub struct Tapin {
    app: App,
    tool_router: ToolRouter<Self>,
}

/// The API key of this HTTP request. The middleware refused the request (401)
/// before MCP saw it when there was none, so a missing one is a server fault.
fn principal(parts: &http::request::Parts) -> Result<ApiPrincipal, AppError> {
    parts
        .extensions
        .get::<ApiPrincipal>()
        .cloned()
        .ok_or_else(|| AppError::unauthorized("missing API key"))
}

fn principal_of(ctx: &RequestContext<RoleServer>) -> Result<ApiPrincipal, ErrorData> {
    ctx.extensions
        .get::<http::request::Parts>()
        .ok_or_else(|| ErrorData::internal_error("no HTTP request", None))
        .and_then(|p| principal(p).map_err(|e| ErrorData::invalid_request(e.message, None)))
}

// ---------------------------------------------------------------- inputs

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RequestApproval {
    /// What is to be approved: the tool or action name, such as `refund.create` (1 to 200 characters).
    pub subject: String,
    /// The action's arguments, shown to the approver (a JSON object, at most 64 KiB).
    #[serde(default)]
    pub payload: Map<String, Value>,
    /// Only operators with this role may decide, such as `billing_manager`.
    #[serde(default)]
    pub approver_role: Option<String>,
    /// Expire the approval after this many seconds (1 to 604800). An expired approval counts as denied.
    #[serde(default)]
    #[schemars(range(min = 1, max = 604800))]
    pub timeout_seconds: Option<i64>,
    /// What the end user is told while they wait (at most 2000 characters).
    #[serde(default)]
    pub suspend_message: Option<String>,
    /// The conversation this belongs to (UUID); a new one is started when omitted.
    #[serde(default)]
    pub conversation_id: Option<String>,
    /// Optional JSON Schema for a value the approver must give with an approval (such as an amount they agree to).
    #[serde(default)]
    pub response_schema: Option<Value>,
    /// The operator (id or email) on whose behalf you ask, if a person asked you to.
    #[serde(default)]
    pub requested_by: Option<String>,
    /// Four-eyes: the operator in `requested_by` may not approve their own request.
    #[serde(default)]
    pub four_eyes: bool,
    /// How many people must approve (1 to 10, default 1); the first deny decides.
    #[serde(default)]
    #[schemars(range(min = 1, max = 10))]
    pub required_approvals: Option<i64>,
    /// The approvals must come from people with different roles.
    #[serde(default)]
    pub distinct_roles: bool,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AskHuman {
    /// The question, as the person should read it (1 to 2000 characters).
    pub question: String,
    /// JSON Schema of the answer: `{"type":"string"}`, `{"type":"integer","minimum":1}`,
    /// `{"type":"boolean"}`, `{"enum":["a","b"]}`, … The person's answer is validated against it.
    /// Omitted: free text.
    #[serde(default)]
    pub response_schema: Option<Value>,
    /// Facts the person needs to answer, shown beside the question (a JSON object).
    #[serde(default)]
    pub context: Map<String, Value>,
    /// Only operators with this role may answer.
    #[serde(default)]
    pub approver_role: Option<String>,
    /// Give up after this many seconds (1 to 604800); the question then reads `expired`.
    #[serde(default)]
    #[schemars(range(min = 1, max = 604800))]
    pub timeout_seconds: Option<i64>,
    /// The conversation this belongs to (UUID); a new one is started when omitted.
    #[serde(default)]
    pub conversation_id: Option<String>,
}

/// The handoff packet (as in `POST /api/v1/handoffs`).
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffPacket {
    /// What the human needs to know first, in one or two sentences (1 to 2000 characters).
    pub static_text: String,
    /// Why a human is needed.
    #[serde(default)]
    pub reason: Option<String>,
    /// A summary of the conversation so far.
    #[serde(default)]
    pub summary: Option<String>,
    /// Facts for the human (customer id, order, amounts…), a JSON object.
    #[serde(default)]
    pub context_vars: Map<String, Value>,
    /// Where to transfer (a team or queue), if anywhere.
    #[serde(default)]
    pub transfer_to: Option<String>,
    /// A readable name for `transfer_to`.
    #[serde(default)]
    pub transfer_label: Option<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct HandoffToHuman {
    /// The conversation a human takes over (UUID); a new one is started when omitted.
    #[serde(default)]
    pub conversation_id: Option<String>,
    pub packet: HandoffPacket,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ById {
    /// The id returned by `request_approval`, `ask_human` or `handoff_to_human`.
    pub id: String,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WaitForDecision {
    /// The id returned by `request_approval`, `ask_human` or `handoff_to_human`.
    pub id: String,
    /// Seconds to wait at most, 0 to 50 (default 25). Returns as soon as a decision is made.
    #[serde(default)]
    #[schemars(range(max = 50))]
    pub wait_seconds: Option<u64>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PostMessage {
    /// The conversation (UUID), as returned by the other tools.
    pub conversation_id: String,
    /// The message (1 to 20000 characters).
    pub content: String,
    /// Who speaks: `agent` (default), `user` or `system`.
    #[serde(default)]
    pub author: Option<String>,
}

// ---------------------------------------------------------------- outputs

/// Where a request to a human stands.
#[derive(Serialize, JsonSchema)]
pub struct Status {
    /// The approval, question or handoff id: pass it to `get_status` / `wait_for_decision`.
    pub id: String,
    /// `approval` (approvals and questions) or `takeover`.
    pub kind: String,
    /// Approvals and questions: `pending`, `approved`, `denied`, `expired` or `cancelled`.
    /// Takeovers: `requested`, `assigned`, `accepted`, `resolved` or `cancelled`.
    pub status: String,
    /// False while a person has yet to act.
    pub decided: bool,
    pub conversation_id: Option<String>,
    /// What the person wrote with their decision (always given with a deny).
    pub decision_note: Option<String>,
    /// `operator:<id>`, `api_key:<id>` or `policy:<id>`.
    pub decided_by: Option<String>,
    /// The person's answer (questions, and approvals with a `response_schema`); valid against the schema.
    pub answer: Option<Value>,
    /// The payload as the approver edited it: run this one when present.
    pub decided_payload: Option<Map<String, Value>>,
    /// What to do next, in words.
    pub next_step: String,
}

/// A message appended to a conversation.
#[derive(Serialize, JsonSchema)]
pub struct Posted {
    pub conversation_id: String,
    /// 1, 2, 3, … within the conversation.
    pub seq: i64,
    pub author: String,
}

fn next_step(kind: Kind, status: &str, decided: bool) -> String {
    match (kind, decided, status) {
        (_, false, _) => "Pending: call wait_for_decision with this id (it returns as soon as a person acts); while it says pending, call it again.".into(),
        (Kind::Approval, true, "approved") => "Approved: go ahead (with decided_payload if present; answer holds the person's answer).".into(),
        (Kind::Approval, true, "denied") => "Denied: do not go ahead; decision_note says why.".into(),
        (Kind::Approval, true, "expired") => "Expired: nobody decided in time; treat it as a deny.".into(),
        (_, true, "cancelled") => "Cancelled.".into(),
        (_, true, other) => format!("Finished ({other})."),
    }
}

fn status_of_approval(r: ApprovalRead) -> Status {
    let decided = r.status != "pending";
    Status {
        next_step: next_step(Kind::Approval, &r.status, decided),
        id: r.id,
        kind: "approval".into(),
        status: r.status,
        decided,
        conversation_id: r.conversation_id,
        decision_note: r.decision_note,
        decided_by: r.decided_by,
        answer: r.answer,
        decided_payload: r.decided_payload,
    }
}

fn status_of_handoff(h: crate::domain::Handoff) -> Status {
    let decided = !h.state.is_open();
    let status = status_of(&h);
    Status {
        next_step: next_step(h.kind, &status, decided),
        id: h.id,
        kind: h.kind.as_str().into(),
        status,
        decided,
        conversation_id: h.conversation_id,
        decision_note: None,
        decided_by: None,
        answer: None,
        decided_payload: None,
    }
}

impl Tapin {
    pub fn new(app: App) -> Self {
        Tapin {
            app,
            tool_router: Self::tool_router(),
        }
    }

    /// The named conversation, or a new one for this call.
    async fn conversation(
        &self,
        key: &ApiPrincipal,
        id: Option<String>,
    ) -> Result<String, AppError> {
        match id {
            Some(id) => parse_id(&id, "conversation").map_err(|_| {
                AppError::invalid_field("conversation_id", "must be a conversation id (UUID)")
            }),
            None => Ok(conversations::create(&self.app, &key.organization_id, None)
                .await?
                .id),
        }
    }

    async fn status(&self, key: &ApiPrincipal, id: &str) -> Result<Status, AppError> {
        let id = parse_id(id, "handoff")?;
        let h = handoffs::get(&self.app, &key.organization_id, &id).await?;
        if h.kind == Kind::Approval {
            let (h, a) = approvals::get(&self.app, &key.organization_id, &id).await?;
            return Ok(status_of_approval(ApprovalRead::new(h, a)));
        }
        Ok(status_of_handoff(h))
    }

    /// Creates the approval (or question); a client that opens URLs first gets
    /// its page to open, and its retry (with `state`) the approval's status.
    async fn ask(
        &self,
        key: &ApiPrincipal,
        opens_urls: bool,
        state: Option<String>,
        conversation_id: Option<String>,
        new: NewApproval,
    ) -> Result<Answer, AppError> {
        key.require("approvals:write")?;
        if let Some(state) = state {
            // The retry after the person was shown the page: nothing new.
            let id = super::elicit::approval_of_state(&self.app, &key.key_id, &state).ok_or_else(
                || {
                    AppError::invalid_field(
                        "requestState",
                        "not a request state tapin gave this key",
                    )
                },
            )?;
            let (h, a) = approvals::get(&self.app, &key.organization_id, &id).await?;
            return Ok(Answer::Status(status_of_approval(ApprovalRead::new(h, a))));
        }
        let conversation_id = self.conversation(key, conversation_id).await?;
        let (h, a) = approvals::create(
            &self.app,
            &key.organization_id,
            &key.actor(),
            NewApproval {
                conversation_id,
                ..new
            },
        )
        .await?;
        if opens_urls {
            let what = h.packet.static_text.clone();
            return Ok(Answer::OpenPage(super::elicit::open_page(
                &self.app,
                &key.key_id,
                &h.id,
                &what,
            )));
        }
        Ok(Answer::Status(status_of_approval(ApprovalRead::new(h, a))))
    }
}

#[tool_router]
impl Tapin {
    #[tool(
        description = "Ask a human to approve an action before you take it (a refund, a deletion, an outgoing message…). Returns at once with the approval's id and status `pending`; then call wait_for_decision with the id until it is decided. Do not take the action unless the status is `approved`. Needs the API key scope `approvals:write`.",
        output_schema = rmcp::handler::server::tool::schema_for_output::<Status>(),
        annotations(
            title = "Request approval",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn request_approval(
        &self,
        Extension(parts): Extension<http::request::Parts>,
        ctx: RequestContext<RoleServer>,
        RequestState(state): RequestState,
        Parameters(p): Parameters<RequestApproval>,
    ) -> Result<Answer, ToolError> {
        let key = principal(&parts)?;
        let opens_urls = super::elicit::client_opens_urls(&ctx);
        let new = NewApproval {
            conversation_id: String::new(),
            subject_kind: SubjectKind::ToolCall,
            subject_ref: p.subject,
            payload: p.payload,
            approver_role: p.approver_role,
            suspend_message: p.suspend_message,
            timeout_seconds: p.timeout_seconds,
            node: None,
            source: Source::WorkflowTerminal,
            response_schema: p.response_schema,
            requested_by: p.requested_by,
            four_eyes: p.four_eyes,
            required_approvals: p.required_approvals,
            distinct_roles: p.distinct_roles,
        };
        Ok(self
            .ask(&key, opens_urls, state, p.conversation_id, new)
            .await?)
    }

    #[tool(
        description = "Ask a human a question and get a typed answer. Give `response_schema` (a JSON Schema such as {\"type\":\"integer\",\"minimum\":1} or {\"enum\":[\"refund\",\"replace\"]}) to get a value you can use directly; the person's answer is validated against it. Returns at once with the question's id and status `pending`; then call wait_for_decision with the id. When `approved`, the answer is in `answer`; `denied` means the person declined (see decision_note). Needs the scope `approvals:write`.",
        output_schema = rmcp::handler::server::tool::schema_for_output::<Status>(),
        annotations(
            title = "Ask a human",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn ask_human(
        &self,
        Extension(parts): Extension<http::request::Parts>,
        ctx: RequestContext<RoleServer>,
        RequestState(state): RequestState,
        Parameters(p): Parameters<AskHuman>,
    ) -> Result<Answer, ToolError> {
        let key = principal(&parts)?;
        let opens_urls = super::elicit::client_opens_urls(&ctx);
        let new = NewApproval {
            conversation_id: String::new(),
            subject_kind: SubjectKind::Question,
            subject_ref: p.question,
            payload: p.context,
            approver_role: p.approver_role,
            suspend_message: None,
            timeout_seconds: p.timeout_seconds,
            node: None,
            source: Source::WorkflowTerminal,
            response_schema: p.response_schema,
            requested_by: None,
            four_eyes: false,
            required_approvals: None,
            distinct_roles: false,
        };
        Ok(self
            .ask(&key, opens_urls, state, p.conversation_id, new)
            .await?)
    }

    #[tool(
        description = "Hand the conversation over to a human who takes it from here (a takeover): stop answering the end user until the human hands it back or resolves it. The packet tells the human what they need to know. Returns the handoff's id and status `requested`; wait_for_decision returns once it is resolved or cancelled. Needs the scope `handoffs:write`.",
        annotations(
            title = "Hand off to a human",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn handoff_to_human(
        &self,
        Extension(parts): Extension<http::request::Parts>,
        Parameters(p): Parameters<HandoffToHuman>,
    ) -> Result<Json<Status>, ToolError> {
        let key = principal(&parts)?;
        key.require("handoffs:write")?;
        let conversation_id = self.conversation(&key, p.conversation_id).await?;
        let packet = Packet {
            static_text: p.packet.static_text,
            reason: p.packet.reason,
            summary: p.packet.summary,
            context_vars: p.packet.context_vars,
            transcript_ptr: None,
            transfer_to: p.packet.transfer_to,
            transfer_label: p.packet.transfer_label,
        };
        let h = handoffs::create_takeover(
            &self.app,
            &key.organization_id,
            &key.actor(),
            NewTakeover {
                conversation_id,
                source: Source::WorkflowTerminal,
                packet,
            },
        )
        .await?;
        Ok(Json(status_of_handoff(h)))
    }

    #[tool(
        description = "Where an approval, question or handoff stands now, without waiting. Needs the scope `read`.",
        annotations(title = "Get status", read_only_hint = true, open_world_hint = false)
    )]
    async fn get_status(
        &self,
        Extension(parts): Extension<http::request::Parts>,
        Parameters(p): Parameters<ById>,
    ) -> Result<Json<Status>, ToolError> {
        let key = principal(&parts)?;
        key.require("read")?;
        Ok(Json(self.status(&key, &p.id).await?))
    }

    #[tool(
        description = "Wait for a person to decide an approval, answer a question or finish a handoff. Returns as soon as they do, or after `wait_seconds` (default 25, at most 50) with `decided: false` and status `pending`: then call this tool again with the same id. Needs the scope `read`.",
        annotations(
            title = "Wait for a decision",
            read_only_hint = true,
            open_world_hint = false
        )
    )]
    async fn wait_for_decision(
        &self,
        Extension(parts): Extension<http::request::Parts>,
        Parameters(p): Parameters<WaitForDecision>,
    ) -> Result<Json<Status>, ToolError> {
        let key = principal(&parts)?;
        key.require("read")?;
        let secs = p.wait_seconds.unwrap_or(WAIT_DEFAULT_SECONDS);
        if secs > WAIT_MAX_SECONDS {
            return Err(AppError::invalid_field(
                "wait_seconds",
                format!("must be 0 to {WAIT_MAX_SECONDS} (clients give up on a tool call after about 60 s)"),
            )
            .into());
        }
        let id = parse_id(&p.id, "handoff")?;
        // Held until the answer: a long-poll counts like an open stream (as REST's /wait).
        let _slot = crate::service::caps::stream_slot(
            &self.app,
            crate::service::caps::key_owner(&key.key_id),
        )?;
        handoffs::wait(
            &self.app,
            &key.organization_id,
            &id,
            Duration::from_secs(secs),
        )
        .await?;
        Ok(Json(self.status(&key, &id).await?))
    }

    #[tool(
        description = "Append a message to a conversation (what the agent told the end user, or what they said). Refused while a human has taken the conversation over. Needs the scope `handoffs:write`.",
        annotations(
            title = "Post a message",
            read_only_hint = false,
            destructive_hint = false,
            idempotent_hint = false,
            open_world_hint = false
        )
    )]
    async fn post_message(
        &self,
        Extension(parts): Extension<http::request::Parts>,
        Parameters(p): Parameters<PostMessage>,
    ) -> Result<Json<Posted>, ToolError> {
        let key = principal(&parts)?;
        key.require("handoffs:write")?;
        let author = p.author.as_deref().unwrap_or("agent");
        if !["agent", "user", "system"].contains(&author) {
            return Err(AppError::invalid_field("author", "must be agent, user or system").into());
        }
        let id = parse_id(&p.conversation_id, "conversation")?;
        let m =
            conversations::post_message(&self.app, &key.organization_id, &id, author, &p.content)
                .await?;
        Ok(Json(Posted {
            conversation_id: m.conversation_id,
            seq: m.seq,
            author: m.author,
        }))
    }
}

// ---------------------------------------------------------------- resources

const HANDOFF_URI: &str = "tapin://handoffs/";
const TRANSCRIPT_TAIL: &str = "/transcript";

/// `tapin://handoffs/{id}` or `tapin://handoffs/{id}/transcript`: (id, transcript?).
fn parse_uri(uri: &str) -> Option<(&str, bool)> {
    let rest = uri.strip_prefix(HANDOFF_URI)?;
    match rest.strip_suffix(TRANSCRIPT_TAIL) {
        Some(id) => Some((id, true)),
        None => Some((rest, false)),
    }
}

impl Tapin {
    async fn read(&self, key: &ApiPrincipal, uri: &str) -> Result<Value, AppError> {
        key.require("read")?;
        let (id, transcript) = parse_uri(uri).ok_or_else(|| AppError::not_found("resource"))?;
        let id = parse_id(id, "handoff")?;
        let org = &key.organization_id;
        let h = handoffs::get(&self.app, org, &id).await?;
        if transcript {
            let Some(cid) = h.conversation_id.clone() else {
                return Ok(serde_json::json!({ "handoff_id": id, "messages": [] }));
            };
            let messages: Vec<MessageRead> =
                conversations::messages(&self.app, org, &cid, 0, conversations::PAGE_MAX)
                    .await?
                    .into_iter()
                    .map(MessageRead::from)
                    .collect();
            return Ok(serde_json::json!({
                "handoff_id": id,
                "conversation_id": cid,
                "messages": messages,
            }));
        }
        let approval = match h.kind {
            Kind::Approval => approvals::of_handoff(&self.app, &id)
                .await?
                .map(|a| ApprovalRead::new(h.clone(), a)),
            _ => None,
        };
        Ok(serde_json::json!({
            "handoff": HandoffRead::from(h),
            "approval": approval,
        }))
    }
}

fn app_error(e: AppError) -> ErrorData {
    let data = Some(serde_json::json!({ "error": e }));
    match e.http_status() {
        404 => ErrorData::resource_not_found(e.message, data),
        _ => ErrorData::invalid_params(e.message, data),
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Tapin {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(
            ServerCapabilities::builder()
                .enable_tools()
                .enable_resources()
                .build(),
        )
        .with_server_info(Implementation::new("tapin", env!("CARGO_PKG_VERSION")))
        .with_instructions(
            "tapin puts a human in the loop. Before a risky action call request_approval; to ask a person something call ask_human (with a response_schema for a typed answer); to let a person take the conversation over call handoff_to_human. Each returns an id at once: call wait_for_decision with it until `decided` is true (it waits at most 50 s per call, then says to call again). Never act on a pending or denied approval.",
        )
    }

    async fn list_resource_templates(
        &self,
        _request: Option<PaginatedRequestParams>,
        _ctx: RequestContext<RoleServer>,
    ) -> Result<ListResourceTemplatesResult, ErrorData> {
        Ok(ListResourceTemplatesResult::with_all_items(vec![
            ResourceTemplate::new("tapin://handoffs/{id}", "handoff")
                .with_description("A handoff (approval, question or takeover) as JSON: its state and, for approvals, the decision and answer.")
                .with_mime_type("application/json"),
            ResourceTemplate::new("tapin://handoffs/{id}/transcript", "transcript")
                .with_description("The messages of the handoff's conversation, oldest first, as JSON.")
                .with_mime_type("application/json"),
        ]))
    }

    async fn list_resources(
        &self,
        _request: Option<PaginatedRequestParams>,
        _ctx: RequestContext<RoleServer>,
    ) -> Result<ListResourcesResult, ErrorData> {
        // Handoffs are found by id (the templates); none is listed up front.
        Ok(ListResourcesResult::with_all_items(Vec::new()))
    }

    async fn read_resource(
        &self,
        request: ReadResourceRequestParams,
        ctx: RequestContext<RoleServer>,
    ) -> Result<ReadResourceResponse, ErrorData> {
        let key = principal_of(&ctx)?;
        let value = self.read(&key, &request.uri).await.map_err(app_error)?;
        Ok(
            ReadResourceResult::new(vec![ResourceContents::text(value.to_string(), request.uri)
                .with_mime_type("application/json")])
            .into(),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resource_uris_name_a_handoff_or_its_transcript() {
        assert_eq!(parse_uri("tapin://handoffs/abc"), Some(("abc", false)));
        assert_eq!(
            parse_uri("tapin://handoffs/abc/transcript"),
            Some(("abc", true))
        );
        assert_eq!(parse_uri("file:///etc/passwd"), None);
    }

    #[test]
    fn every_tool_has_input_and_output_schemas() {
        let tools = Tapin::tool_router().list_all();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        for want in [
            "request_approval",
            "ask_human",
            "handoff_to_human",
            "get_status",
            "wait_for_decision",
            "post_message",
        ] {
            assert!(names.contains(&want), "{want} in {names:?}");
        }
        for t in &tools {
            assert!(t.output_schema.is_some(), "{} has an output schema", t.name);
            assert!(!t.input_schema.is_empty(), "{} has an input schema", t.name);
            assert!(
                t.description.as_deref().is_some_and(|d| d.len() > 40),
                "{} is described",
                t.name
            );
        }
    }
}
