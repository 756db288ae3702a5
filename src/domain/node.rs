//! Workflow approval nodes (seed 001, "Configuring HITL in workflows").

use super::expr::Expr;
use super::packet::FieldProblem;
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    /// Only `expression` exists.
    #[serde(rename = "type")]
    pub kind: String,
    pub expression: String,
}

#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApprovalNode {
    /// Must equal the node id in the path when given.
    #[serde(default)]
    pub id: Option<String>,
    /// Only `approval` exists.
    #[serde(rename = "type")]
    pub kind: String,
    pub condition: Condition,
    #[serde(default)]
    pub approver_role: Option<String>,
    #[serde(default)]
    pub suspend_message: Option<String>,
    #[serde(default)]
    pub timeout_seconds: Option<i64>,
    pub on_approve: String,
    pub on_deny: String,
}

const NAME_MAX: usize = 200;

impl ApprovalNode {
    /// Checks the node as saved; the expression is parsed now so a bad one is
    /// rejected with its position instead of failing at run time.
    pub fn validate(&self, node_id: &str) -> Result<Expr, Vec<FieldProblem>> {
        let mut problems = Vec::new();
        if self.id.as_deref().is_some_and(|id| id != node_id) {
            problems.push(FieldProblem::new(
                "id",
                format!("must equal the node id in the path (`{node_id}`)"),
            ));
        }
        if self.kind != "approval" {
            problems.push(FieldProblem::new("type", "must be `approval`"));
        }
        if self.condition.kind != "expression" {
            problems.push(FieldProblem::new("condition.type", "must be `expression`"));
        }
        for (field, value) in [("on_approve", &self.on_approve), ("on_deny", &self.on_deny)] {
            if value.trim().is_empty() || value.chars().count() > NAME_MAX {
                problems.push(FieldProblem::new(
                    field,
                    format!("must name the next node (1 to {NAME_MAX} characters)"),
                ));
            }
        }
        if let Some(t) = self.timeout_seconds {
            if !(1..=7 * 24 * 3600).contains(&t) {
                problems.push(FieldProblem::new(
                    "timeout_seconds",
                    "must be 1 to 604800 (7 days)",
                ));
            }
        }
        let parsed = Expr::parse(&self.condition.expression);
        if let Err(e) = &parsed {
            problems.push(FieldProblem::new("condition.expression", e.to_string()));
        }
        match parsed {
            Ok(expr) if problems.is_empty() => Ok(expr),
            _ => Err(problems),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(expr: &str) -> ApprovalNode {
        serde_json::from_value(serde_json::json!({
            "id": "approve_refund",
            "type": "approval",
            "condition": {"type": "expression", "expression": expr},
            "approver_role": "billing_manager",
            "timeout_seconds": 300,
            "on_approve": "process_refund",
            "on_deny": "explain_denial"
        }))
        .unwrap()
    }

    #[test]
    fn the_seed_node_validates() {
        assert!(node("refund_amount > 100")
            .validate("approve_refund")
            .is_ok());
    }

    #[test]
    fn a_bad_expression_is_rejected_with_its_position() {
        let problems = node("refund_amount > ")
            .validate("approve_refund")
            .unwrap_err();
        assert_eq!(problems[0].field, "condition.expression");
        assert!(
            problems[0].message.contains("position 16"),
            "{}",
            problems[0].message
        );
    }

    #[test]
    fn the_path_id_must_match() {
        let problems = node("true").validate("other").unwrap_err();
        assert_eq!(problems[0].field, "id");
    }
}
