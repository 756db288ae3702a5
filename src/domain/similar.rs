//! "Approve similar" (issue 14 §3): from an approval a person approved, the
//! routing policy that approves future ones like it without a person: the
//! same kind of subject, the same action (`subject_ref`) and the same
//! requester (the agent's API key). Written in the policies' own expression
//! language, so what the preview shows is exactly what will run.

use super::approval::{Approval, SubjectKind};
use super::routing::{Actions, AutoResolve};
use super::State;

/// Policy names are at most this long (as the routing service checks).
const NAME_MAX: usize = 100;

/// A string literal of the expression language holding exactly `s`
/// (quotes, backslashes and line breaks escaped).
pub fn quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('\'');
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\'' => out.push_str("\\'"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c => out.push(c),
        }
    }
    out.push('\'');
    out
}

/// The condition: approvals of this subject kind and action, from this
/// requester (`api_key:<id>`) when one is on record.
pub fn condition(kind: SubjectKind, subject_ref: &str, requester: Option<&str>) -> String {
    let mut c = format!(
        "kind == 'approval' and subject_kind == {} and subject_ref == {}",
        quote(kind.as_str()),
        quote(subject_ref)
    );
    if let Some(r) = requester {
        c.push_str(&format!(" and requester == {}", quote(r)));
    }
    c
}

/// The condition in words; `requester` is already readable ("the API key “bot”").
pub fn words(kind: SubjectKind, subject_ref: &str, requester: Option<&str>) -> String {
    let mut w = format!(
        "Approve without a person every {} approval of “{subject_ref}”",
        kind.as_str().replace('_', " ")
    );
    if let Some(r) = requester {
        w.push_str(&format!(" requested by {r}"));
    }
    w.push('.');
    w
}

/// "Approve similar: refund.create", cut to a policy name's length.
pub fn policy_name(subject_ref: &str) -> String {
    let name = format!("Approve similar: {subject_ref}");
    // Line breaks make a poor name; the condition keeps the exact value.
    let name: String = name
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if name.chars().count() <= NAME_MAX {
        return name;
    }
    let mut short: String = name.chars().take(NAME_MAX - 1).collect();
    short.push('…');
    short
}

/// What the policy does.
pub fn actions() -> Actions {
    Actions {
        auto_resolve: Some(AutoResolve::Approve),
        ..Actions::default()
    }
}

/// Whether an approval can seed such a policy: a person approved it, and a
/// policy could approve its like (never a question or a typed answer: a
/// policy has no answer to give).
pub fn may_offer(a: &Approval, state: State, decision: Option<&str>) -> Result<(), &'static str> {
    if super::approval::status(state, decision) != "approved" {
        return Err("only an approved approval can be the model for “approve similar”");
    }
    if a.decided_by
        .as_deref()
        .is_some_and(|d| d.starts_with("policy:"))
    {
        return Err("a policy approved this one already");
    }
    if a.subject_kind == SubjectKind::Question || a.response_schema.is_some() {
        return Err("a policy never answers a question: approvals that ask for an answer are always decided by a person");
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::expr::Expr;
    use serde_json::json;

    #[test]
    fn the_condition_matches_exactly_the_same_action_even_a_hostile_one() {
        let hostile = "x' or true or 'a\\\n\t\"<script>";
        let c = condition(SubjectKind::ToolCall, hostile, Some("api_key:k1"));
        let e = Expr::parse(&c).expect(&c);
        let vars = |r: &str, who: &str| {
            json!({"kind": "approval", "subject_kind": "tool_call", "subject_ref": r, "requester": who})
                .as_object()
                .unwrap()
                .clone()
        };
        assert_eq!(e.eval_bool(&vars(hostile, "api_key:k1")), Ok(true));
        assert_eq!(e.eval_bool(&vars("x", "api_key:k1")), Ok(false));
        assert_eq!(e.eval_bool(&vars(hostile, "api_key:k2")), Ok(false));
        // No requester on record: the clause is left out.
        let c = condition(SubjectKind::WorkflowNode, "wf/refund", None);
        assert_eq!(
            c,
            "kind == 'approval' and subject_kind == 'workflow_node' and subject_ref == 'wf/refund'"
        );
    }

    #[test]
    fn names_and_words_read_naturally_and_fit() {
        assert_eq!(
            policy_name("refund.create"),
            "Approve similar: refund.create"
        );
        let long = policy_name(&"a\n".repeat(200));
        assert_eq!(long.chars().count(), NAME_MAX);
        assert!(!long.contains('\n'));
        assert_eq!(
            words(SubjectKind::ToolCall, "refund.create", Some("the API key “bot”")),
            "Approve without a person every tool call approval of “refund.create” requested by the API key “bot”."
        );
    }

    #[test]
    fn only_an_approval_a_person_approved_is_offered() {
        let a = Approval::default();
        assert!(may_offer(&a, State::Solved, Some("approved")).is_ok());
        assert!(may_offer(&a, State::Completed, Some("approved")).is_ok());
        assert!(may_offer(&a, State::Solved, Some("denied")).is_err());
        assert!(may_offer(&a, State::Opened, None).is_err());
        let by_policy = Approval {
            decided_by: Some("policy:p".into()),
            ..Approval::default()
        };
        assert!(may_offer(&by_policy, State::Solved, Some("approved")).is_err());
        let question = Approval {
            subject_kind: SubjectKind::Question,
            ..Approval::default()
        };
        assert!(may_offer(&question, State::Solved, Some("approved")).is_err());
    }
}
