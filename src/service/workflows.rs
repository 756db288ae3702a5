//! Workflow approval nodes: save (validated), read, evaluate.

use super::approvals::{self, NewApproval};
use super::{now, App};
use crate::domain::approval::{Approval, NodeRef, SubjectKind};
use crate::domain::node::ApprovalNode;
use crate::domain::{Actor, Handoff, Source};
use crate::error::{AppError, FieldError};
use serde_json::{Map, Value};

const ID_MAX: usize = 200;

fn check_ids(workflow_id: &str, node_id: &str) -> Result<(), AppError> {
    for (field, v) in [("workflow_id", workflow_id), ("node_id", node_id)] {
        if v.is_empty()
            || v.len() > ID_MAX
            || !v
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        {
            return Err(AppError::invalid_field(
                field,
                "use 1-200 letters, digits, '-', '_' or '.'",
            ));
        }
    }
    Ok(())
}

pub async fn put(
    app: &App,
    org_id: &str,
    workflow_id: &str,
    node_id: &str,
    mut node: ApprovalNode,
) -> Result<ApprovalNode, AppError> {
    check_ids(workflow_id, node_id)?;
    node.validate(node_id).map_err(|problems| {
        AppError::invalid(
            problems
                .into_iter()
                .map(|p| FieldError {
                    field: p.field,
                    message: p.message,
                })
                .collect(),
        )
    })?;
    node.id = Some(node_id.to_string());
    let json = serde_json::to_string(&node).expect("node serializes");
    app.store
        .put_node(org_id, workflow_id, node_id, &json, &now())
        .await?;
    Ok(node)
}

pub async fn get(
    app: &App,
    org_id: &str,
    workflow_id: &str,
    node_id: &str,
) -> Result<ApprovalNode, AppError> {
    check_ids(workflow_id, node_id).map_err(|_| AppError::not_found("node"))?;
    let json = app
        .store
        .node(org_id, workflow_id, node_id)
        .await?
        .ok_or_else(|| AppError::not_found("node"))?;
    serde_json::from_str(&json).map_err(|e| {
        tracing::error!(error = %e, "stored node cannot be read");
        AppError::internal()
    })
}

/// What evaluating a node decided.
pub struct Evaluation {
    /// The next node when no approval is needed.
    pub next: Option<String>,
    pub approval: Option<(Handoff, Approval)>,
    /// Set when the condition could not be evaluated: the node fails closed
    /// (an approval is requested) and says why.
    pub evaluation_error: Option<String>,
}

/// False → pass through to `on_approve`; true (or an evaluation error) → an approval.
pub async fn evaluate(
    app: &App,
    org_id: &str,
    actor: &Actor,
    workflow_id: &str,
    node_id: &str,
    conversation_id: String,
    variables: Map<String, Value>,
) -> Result<Evaluation, AppError> {
    let node = get(app, org_id, workflow_id, node_id).await?;
    // Sizes first: the condition never sees variables the approval would refuse.
    approvals::check_payload("variables", &variables)?;
    let expr = node.validate(node_id).map_err(|_| AppError::internal())?;
    let (required, evaluation_error) = match expr.eval_bool(&variables) {
        Ok(b) => (b, None),
        Err(e) => (true, Some(e.to_string())),
    };
    if !required {
        return Ok(Evaluation {
            next: Some(node.on_approve),
            approval: None,
            evaluation_error: None,
        });
    }
    let approval = approvals::create(
        app,
        org_id,
        actor,
        NewApproval {
            conversation_id,
            subject_kind: SubjectKind::WorkflowNode,
            subject_ref: format!("{workflow_id}/{node_id}"),
            payload: variables,
            approver_role: node.approver_role,
            suspend_message: node.suspend_message,
            timeout_seconds: node.timeout_seconds,
            node: Some(NodeRef {
                workflow_id: workflow_id.to_string(),
                node_id: node_id.to_string(),
                on_approve: Some(node.on_approve),
                on_deny: Some(node.on_deny),
            }),
            source: Source::WorkflowTerminal,
            response_schema: None,
            requested_by: None,
            four_eyes: false,
            required_approvals: None,
            distinct_roles: false,
        },
    )
    .await?;
    Ok(Evaluation {
        next: None,
        approval: Some(approval),
        evaluation_error,
    })
}
