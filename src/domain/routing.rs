//! Who is told about a new handoff, how, and what happens when nobody answers:
//! routing policies, escalation chains and weekly on-call rotations. Pure: the
//! service layer loads the definitions, the timer worker acts on `Next`.

use super::approval::Approval;
use super::expr::Expr;
use super::zone::{self, Tz};
use super::{Kind, Packet, Source};
use chrono::{DateTime, Datelike, Duration, Timelike, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{json, Map, Value};

/// Handoff priorities, lowest first; operators choose channels per urgency.
pub const URGENCIES: [&str; 4] = ["low", "medium", "high", "urgent"];
/// Every channel an operator can be reached on.
pub const CHANNELS: [&str; 5] = ["push", "email", "slack", "sms", "voice"];
/// What an operator gets until they choose: the phone app, and email when configured.
pub const DEFAULT_CHANNELS: [&str; 2] = ["push", "email"];

/// Whom a step notifies.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum Target {
    /// One operator, by id.
    Operator(String),
    /// Every active operator with the role.
    Role(String),
    /// Whoever a rotation has on call at the time of the step.
    OnCall(String),
    /// Every active operator of the organization.
    Everyone,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub targets: Vec<Target>,
    /// How long the step's operators have to open the handoff before the next step.
    pub wait_seconds: i64,
}

/// An ordered list of steps; `repeat` more rounds once the last step's wait is over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    /// `None`: the built-in route (notify once, never escalate).
    pub id: Option<String>,
    pub name: String,
    pub steps: Vec<Step>,
    pub repeat: u32,
}

impl Chain {
    /// The route when no policy and no organization default names a chain:
    /// everyone who may act on it, told once.
    pub fn built_in(approver_role: Option<&str>) -> Chain {
        let target = match approver_role {
            Some(role) => Target::Role(role.to_string()),
            None => Target::Everyone,
        };
        Chain {
            id: None,
            name: "everyone who may act".into(),
            steps: vec![Step {
                targets: vec![target],
                wait_seconds: 0,
            }],
            repeat: 0,
        }
    }
}

/// Where an escalation stands: stored with its timer, so a restart resumes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Position {
    pub chain_id: Option<String>,
    pub step: usize,
    pub round: u32,
    /// The operators the previous step notified (`handoff.escalated` names them).
    #[serde(default)]
    pub from: Vec<String>,
}

/// What the chain does after a step has notified (or found nobody to notify).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// Escalate to the step in `at` once `after_seconds` pass without an open.
    Escalate { at: Position, after_seconds: i64 },
    /// The last step's wait: then repeat or expire.
    Exhaust { at: Position, after_seconds: i64 },
    /// The built-in route: nothing more happens.
    Stop,
}

/// What follows the step at `pos` that notified `notified`.
pub fn after_step(chain: &Chain, pos: &Position, notified: &[String]) -> Next {
    if chain.id.is_none() {
        return Next::Stop;
    }
    let wait = chain.steps.get(pos.step).map_or(0, |s| s.wait_seconds);
    let at = Position {
        chain_id: pos.chain_id.clone(),
        step: pos.step + 1,
        round: pos.round,
        from: notified.to_vec(),
    };
    if pos.step + 1 < chain.steps.len() {
        Next::Escalate {
            at,
            after_seconds: wait,
        }
    } else {
        Next::Exhaust {
            at,
            after_seconds: wait,
        }
    }
}

/// When the last step's wait is over: another round from step 1, or `None` (expire).
pub fn after_exhausted(chain: &Chain, pos: &Position) -> Option<Position> {
    (pos.round < chain.repeat).then(|| Position {
        chain_id: pos.chain_id.clone(),
        step: 0,
        round: pos.round + 1,
        from: pos.from.clone(),
    })
}

/// A temporary replacement: `operator_id` is on call from `starts_at` to `ends_at`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Override {
    pub operator_id: String,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// A weekly rotation: `operators[0]` from `starts_at` for a week, then the next, round robin.
/// Turns change hands at `starts_at`'s wall-clock time in `zone` (Monday 09:00
/// stays Monday 09:00 across daylight saving).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rotation {
    pub operators: Vec<String>,
    pub starts_at: DateTime<Utc>,
    pub overrides: Vec<Override>,
    pub zone: Tz,
}

impl Rotation {
    /// Who is on call at `at`. The override added last wins over earlier ones
    /// and over the rotation; before `starts_at` nobody is.
    pub fn on_call(&self, at: DateTime<Utc>) -> Option<&str> {
        if let Some(o) = self
            .overrides
            .iter()
            .rev()
            .find(|o| o.starts_at <= at && at < o.ends_at)
        {
            return Some(&o.operator_id);
        }
        if self.operators.is_empty() || at < self.starts_at {
            return None;
        }
        // Counted on the local wall clock, so a turn lasts 167 or 169 hours
        // across a daylight-saving change and still ends at the same local time.
        let elapsed = zone::wall(at, self.zone) - zone::wall(self.starts_at, self.zone);
        let weeks = (elapsed.num_seconds() / Duration::weeks(1).num_seconds()).max(0);
        let turn = (weeks as usize) % self.operators.len();
        Some(&self.operators[turn])
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AutoResolve {
    /// Approvals: approve without a person (known-safe tool calls).
    Approve,
    /// Approvals: deny without a person.
    Deny,
    /// Takeovers: close without a person.
    Resolve,
}

impl AutoResolve {
    /// Approve/deny settle approvals, resolve settles takeovers; nothing else.
    pub fn applies_to(self, kind: super::Kind) -> bool {
        match self {
            AutoResolve::Approve | AutoResolve::Deny => kind == super::Kind::Approval,
            AutoResolve::Resolve => kind == super::Kind::Takeover,
        }
    }

    /// What a matching policy's `auto_resolve` does to a new handoff: `Ok(None)`
    /// when it does not apply to this kind, `Err(why)` when it applies but must
    /// not settle this approval. A policy is one decider with no answer to give:
    /// it never approves a question (`response_schema`) nor an approval that
    /// asks for several people (`required_approvals` > 1); a deny still settles
    /// both, as the first deny of a quorum does.
    pub fn settles(
        self,
        kind: super::Kind,
        approval: Option<&super::approval::Approval>,
    ) -> Result<Option<AutoResolve>, &'static str> {
        if !self.applies_to(kind) {
            return Ok(None);
        }
        if self == AutoResolve::Approve {
            if let Some(a) = approval {
                if a.response_schema.is_some() {
                    return Err("question");
                }
                if a.required_approvals > 1 {
                    return Err("quorum");
                }
            }
        }
        Ok(Some(self))
    }
}

/// What a matching policy does. Every field is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Actions {
    /// Escalation chain id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub route: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub priority: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_resolve: Option<AutoResolve>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expire_after_seconds: Option<i64>,
    /// Approvals: the requesting operator (and key) cannot decide (four-eyes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub four_eyes: Option<bool>,
    /// Approvals: at least this many approvals decide it (1..=10); an approval
    /// that asked for more keeps its own number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub required_approvals: Option<u32>,
    /// Approvals: only operators with this role decide (replaces the agent's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub approver_role: Option<String>,
}

/// What a policy that matches an approval's edited payload would demand that
/// the approval does not have (issue 14 §3: an edit cannot slip past a policy).
/// Empty: the edit may be approved as it is.
pub fn edit_needs(a: &Approval, actions: &Actions) -> Vec<String> {
    let mut needs = Vec::new();
    if actions.auto_resolve == Some(AutoResolve::Deny) {
        needs.push("a deny (the policy denies it)".to_string());
    }
    if let Some(role) = &actions.approver_role {
        if a.approver_role.as_deref() != Some(role.as_str()) {
            needs.push(format!("an approver with the `{role}` role"));
        }
    }
    if let Some(n) = actions
        .required_approvals
        .filter(|n| *n > a.required_approvals)
    {
        needs.push(format!("{n} approvals"));
    }
    if actions.four_eyes == Some(true) && !a.four_eyes {
        needs.push("four-eyes review".to_string());
    }
    needs
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub id: String,
    pub name: String,
    pub condition: Expr,
    pub source: String,
    pub actions: Actions,
}

/// The variables a policy condition sees (documented in the README); the
/// time of day and weekday are read in the organization's zone `tz`.
pub fn vars(
    kind: Kind,
    source: Source,
    priority: &str,
    packet: &Packet,
    approval: Option<&Approval>,
    at: DateTime<Utc>,
    tz: Tz,
) -> Map<String, Value> {
    let at = zone::wall(at, tz);
    let mut v = Map::new();
    v.insert("kind".into(), json!(kind.as_str()));
    v.insert("source".into(), json!(source.as_str()));
    v.insert("priority".into(), json!(priority));
    v.insert(
        "packet".into(),
        json!({
            "static_text": packet.static_text,
            "reason": packet.reason,
            "summary": packet.summary,
            "transfer_to": packet.transfer_to,
        }),
    );
    v.insert("context".into(), Value::Object(packet.context_vars.clone()));
    v.insert(
        "approver_role".into(),
        json!(approval.and_then(|a| a.approver_role.clone())),
    );
    if let Some(a) = approval {
        v.insert("subject_kind".into(), json!(a.subject_kind.as_str()));
        v.insert("subject_ref".into(), json!(a.subject_ref));
        v.insert("payload".into(), Value::Object(a.payload.clone()));
    }
    if kind == Kind::Assist {
        // Seed 004's fields, also at the top level: `interruption_type == 'twofa'`.
        for name in ["interruption_type", "domain", "agent_id"] {
            let value = packet
                .context_vars
                .get(name)
                .cloned()
                .unwrap_or(Value::Null);
            v.insert(name.into(), value);
        }
    }
    v.insert("hour".into(), json!(at.hour()));
    v.insert("minute".into(), json!(at.minute()));
    v.insert("time".into(), json!(at.format("%H:%M").to_string()));
    let weekday = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        [at.weekday().num_days_from_monday() as usize];
    v.insert("weekday".into(), json!(weekday));
    v
}

/// Adds `requester` to a condition's variables: who asked for the handoff, as
/// its `create` audit event names them (`api_key:<id>`, `operator:<id>`,
/// `system`); null when unknown. "Approve similar" matches an agent's key by it.
pub fn set_requester(v: &mut Map<String, Value>, requester: Option<&str>) {
    v.insert("requester".into(), json!(requester));
}

/// The result of running the policies against one handoff.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Evaluation {
    /// Index of the first policy whose condition is true.
    pub matched: Option<usize>,
    /// Policies skipped because their condition could not be decided (id, why).
    /// A condition that errs never matches: an auto-approve must not fire on a guess.
    pub errors: Vec<(String, String)>,
}

/// First match wins.
pub fn first_match(policies: &[Policy], vars: &Map<String, Value>) -> Evaluation {
    let mut out = Evaluation::default();
    for (i, p) in policies.iter().enumerate() {
        match p.condition.eval_bool(vars) {
            Ok(true) => {
                out.matched = Some(i);
                break;
            }
            Ok(false) => {}
            Err(e) => out.errors.push((p.id.clone(), e.to_string())),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_policy_never_approves_a_quorum_or_a_question_but_may_deny_them() {
        use crate::domain::approval::Approval;
        let plain = Approval::default();
        let quorum = Approval {
            required_approvals: 3,
            ..Approval::default()
        };
        let question = Approval {
            response_schema: Some(serde_json::json!({"type": "string"})),
            ..Approval::default()
        };
        let k = super::super::Kind::Approval;
        assert_eq!(
            AutoResolve::Approve.settles(k, Some(&plain)),
            Ok(Some(AutoResolve::Approve))
        );
        assert_eq!(
            AutoResolve::Approve.settles(k, Some(&quorum)),
            Err("quorum")
        );
        assert_eq!(
            AutoResolve::Approve.settles(k, Some(&question)),
            Err("question")
        );
        assert_eq!(
            AutoResolve::Deny.settles(k, Some(&quorum)),
            Ok(Some(AutoResolve::Deny))
        );
        assert_eq!(
            AutoResolve::Approve.settles(super::super::Kind::Takeover, None),
            Ok(None)
        );
        assert_eq!(
            AutoResolve::Resolve.settles(super::super::Kind::Takeover, None),
            Ok(Some(AutoResolve::Resolve))
        );
    }

    #[test]
    fn an_edit_matching_a_stricter_policy_names_what_it_would_need() {
        let a = Approval {
            approver_role: Some("support".into()),
            ..Approval::default()
        };
        let strict = Actions {
            approver_role: Some("finance_lead".into()),
            required_approvals: Some(2),
            four_eyes: Some(true),
            ..Actions::default()
        };
        assert_eq!(
            edit_needs(&a, &strict),
            [
                "an approver with the `finance_lead` role",
                "2 approvals",
                "four-eyes review"
            ]
        );
        // What the approval already has is no obstacle.
        let same = Actions {
            approver_role: Some("support".into()),
            required_approvals: Some(1),
            priority: Some("urgent".into()),
            ..Actions::default()
        };
        assert!(edit_needs(&a, &same).is_empty());
        let deny = Actions {
            auto_resolve: Some(AutoResolve::Deny),
            ..Actions::default()
        };
        assert_eq!(edit_needs(&a, &deny).len(), 1);
    }

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn chain(steps: usize, repeat: u32) -> Chain {
        Chain {
            id: Some("c".into()),
            name: "c".into(),
            steps: (0..steps)
                .map(|i| Step {
                    targets: vec![Target::Operator(format!("op{i}"))],
                    wait_seconds: 60 * (i as i64 + 1),
                })
                .collect(),
            repeat,
        }
    }

    #[test]
    fn a_chain_escalates_step_by_step_then_exhausts() {
        let c = chain(2, 0);
        let p0 = Position {
            chain_id: Some("c".into()),
            step: 0,
            round: 0,
            from: vec![],
        };
        let Next::Escalate { at, after_seconds } = after_step(&c, &p0, &["op0".into()]) else {
            panic!("step 1 escalates");
        };
        assert_eq!(
            (at.step, after_seconds, at.from.clone()),
            (1, 60, vec!["op0".into()])
        );
        let Next::Exhaust { at, after_seconds } = after_step(&c, &at, &["op1".into()]) else {
            panic!("the last step exhausts");
        };
        assert_eq!(after_seconds, 120);
        assert_eq!(after_exhausted(&c, &at), None);
    }

    #[test]
    fn a_repeating_chain_starts_over_as_often_as_it_says() {
        let c = chain(1, 2);
        let mut pos = Position {
            chain_id: Some("c".into()),
            step: 1,
            round: 0,
            from: vec!["op0".into()],
        };
        let mut rounds = 0;
        while let Some(next) = after_exhausted(&c, &pos) {
            assert_eq!(next.step, 0);
            rounds += 1;
            pos = Position { step: 1, ..next };
        }
        assert_eq!(rounds, 2);
    }

    #[test]
    fn the_built_in_route_never_escalates() {
        let c = Chain::built_in(Some("billing"));
        assert_eq!(c.steps[0].targets, vec![Target::Role("billing".into())]);
        let p = Position {
            chain_id: None,
            step: 0,
            round: 0,
            from: vec![],
        };
        assert_eq!(after_step(&c, &p, &["x".into()]), Next::Stop);
    }

    #[test]
    fn rotation_turns_weekly_and_overrides_win() {
        let mut r = Rotation {
            operators: vec!["ann".into(), "bob".into(), "cy".into()],
            starts_at: t("2026-11-02T09:00:00Z"),
            overrides: vec![],
            zone: Tz::UTC,
        };
        assert_eq!(
            r.on_call(t("2026-11-01T09:00:00Z")),
            None,
            "before the start"
        );
        assert_eq!(r.on_call(t("2026-11-02T09:00:00Z")), Some("ann"));
        assert_eq!(r.on_call(t("2026-11-09T08:59:59Z")), Some("ann"));
        assert_eq!(r.on_call(t("2026-11-09T09:00:00Z")), Some("bob"));
        assert_eq!(r.on_call(t("2026-11-16T09:00:00Z")), Some("cy"));
        assert_eq!(
            r.on_call(t("2026-11-23T09:00:00Z")),
            Some("ann"),
            "round robin"
        );
        r.overrides.push(Override {
            operator_id: "dee".into(),
            starts_at: t("2026-11-10T00:00:00Z"),
            ends_at: t("2026-11-11T00:00:00Z"),
        });
        r.overrides.push(Override {
            operator_id: "eve".into(),
            starts_at: t("2026-11-10T12:00:00Z"),
            ends_at: t("2026-11-10T13:00:00Z"),
        });
        assert_eq!(r.on_call(t("2026-11-10T11:00:00Z")), Some("dee"));
        assert_eq!(
            r.on_call(t("2026-11-10T12:30:00Z")),
            Some("eve"),
            "latest override wins"
        );
        assert_eq!(
            r.on_call(t("2026-11-11T00:00:00Z")),
            Some("bob"),
            "end is exclusive"
        );
    }

    #[test]
    fn targets_read_as_documented() {
        let steps: Vec<Target> = serde_json::from_value(json!([
            {"operator": "o1"}, {"role": "billing"}, {"on_call": "r1"}, "everyone"
        ]))
        .unwrap();
        assert_eq!(
            steps,
            vec![
                Target::Operator("o1".into()),
                Target::Role("billing".into()),
                Target::OnCall("r1".into()),
                Target::Everyone
            ]
        );
        assert!(serde_json::from_value::<Target>(json!({"team": "x"})).is_err());
    }

    fn policy(id: &str, cond: &str) -> Policy {
        Policy {
            id: id.into(),
            name: id.into(),
            condition: Expr::parse(cond).unwrap(),
            source: cond.into(),
            actions: Actions::default(),
        }
    }

    fn sample_vars(at: &str) -> Map<String, Value> {
        sample_vars_in(at, Tz::UTC)
    }

    fn sample_vars_in(at: &str, tz: Tz) -> Map<String, Value> {
        let packet: Packet = serde_json::from_value(json!({
            "static_text": "Refund 40 EUR?",
            "context_vars": {"amount": 40, "tier": "gold"}
        }))
        .unwrap();
        vars(
            Kind::Takeover,
            Source::Router,
            "medium",
            &packet,
            None,
            t(at),
            tz,
        )
    }

    #[test]
    fn a_policy_can_route_assists_by_interruption_type() {
        let packet: Packet = serde_json::from_value(json!({
            "static_text": "Type the code",
            "context_vars": {"interruption_type": "twofa", "domain": "login.example.com", "agent_id": "a1"}
        }))
        .unwrap();
        let v = vars(
            Kind::Assist,
            Source::Router,
            "medium",
            &packet,
            None,
            t("2026-11-21T10:00:00Z"),
            Tz::UTC,
        );
        let ps = [policy(
            "2fa",
            "kind == 'assist' and interruption_type == 'twofa'",
        )];
        assert_eq!(first_match(&ps, &v).matched, Some(0));
        let takeover = sample_vars("2026-11-21T10:00:00Z");
        assert!(!takeover.contains_key("interruption_type"), "assists only");
    }

    #[test]
    fn first_matching_policy_wins_and_errors_never_match() {
        let v = sample_vars("2026-11-21T22:15:00Z");
        let ps = [
            policy("broken", "context.missing > 3"),
            policy("night", "hour >= 22 or hour < 6"),
            policy("gold", "context.tier == 'gold'"),
        ];
        let e = first_match(&ps, &v);
        assert_eq!(e.matched, Some(1));
        assert_eq!(e.errors.len(), 1);
        assert_eq!(e.errors[0].0, "broken");
        let day = sample_vars("2026-11-21T10:00:00Z");
        assert_eq!(first_match(&ps, &day).matched, Some(2));
    }

    #[test]
    fn vars_carry_time_of_day_and_packet_fields() {
        let v = sample_vars("2026-11-21T09:05:00Z");
        assert_eq!(v["time"], json!("09:05"));
        assert_eq!(v["weekday"], json!("sat"));
        assert_eq!(v["kind"], json!("takeover"));
        assert_eq!(v["context"]["amount"], json!(40));
        assert_eq!(v["approver_role"], Value::Null);
        let e = Expr::parse("time >= '09:00' and time < '17:00' and weekday != 'sun'").unwrap();
        assert!(e.eval_bool(&v).unwrap());
    }

    #[test]
    fn conditions_read_the_clock_in_the_organizations_zone() {
        let office = policy(
            "office",
            "hour >= 9 and hour < 17 and weekday != 'sat' and weekday != 'sun'",
        );
        // Friday 2026-11-20 07:30 UTC: 08:30 in Berlin (closed), 16:30 in Tokyo (open).
        let at = "2026-11-20T07:30:00Z";
        let berlin = sample_vars_in(at, Tz::Europe__Berlin);
        assert_eq!(
            (berlin["hour"].clone(), berlin["time"].clone()),
            (json!(8), json!("08:30"))
        );
        assert_eq!(
            first_match(std::slice::from_ref(&office), &berlin).matched,
            None
        );
        let tokyo = sample_vars_in(at, Tz::Asia__Tokyo);
        assert_eq!(
            first_match(std::slice::from_ref(&office), &tokyo).matched,
            Some(0)
        );
        // Friday 23:30 UTC is already Saturday in Tokyo.
        let late = sample_vars_in("2026-11-20T23:30:00Z", Tz::Asia__Tokyo);
        assert_eq!(late["weekday"], json!("sat"));
        assert_eq!(sample_vars("2026-11-20T23:30:00Z")["weekday"], json!("fri"));
    }

    #[test]
    fn rotation_turns_change_at_the_same_local_time_across_daylight_saving() {
        // Mondays 09:00 in Berlin; clocks go back on Sunday 2026-10-25.
        let r = Rotation {
            operators: vec!["ann".into(), "bob".into()],
            starts_at: t("2026-10-19T07:00:00Z"), // 09:00 CEST
            overrides: vec![],
            zone: Tz::Europe__Berlin,
        };
        // The next Monday 09:00 is CET: 08:00 UTC, not 07:00.
        assert_eq!(r.on_call(t("2026-10-26T07:30:00Z")), Some("ann"));
        assert_eq!(r.on_call(t("2026-10-26T08:00:00Z")), Some("bob"));
        // Counted in UTC the turn would already have changed at 07:00.
        let utc = Rotation {
            zone: Tz::UTC,
            ..r.clone()
        };
        assert_eq!(utc.on_call(t("2026-10-26T07:30:00Z")), Some("bob"));
    }
}
