//! Deciding several approvals at once (issue 14 §3, "out of approval
//! fatigue"): each is still its own decision; this names what happened to
//! each one, in fixed words that travel in an API answer and in the inbox's
//! result link (a page without script gets its result as `?done=id.code,…`).

use serde::{Deserialize, Serialize};

/// The most approvals one request decides.
pub const BULK_MAX: usize = 100;

/// What happened to one approval of a bulk decision.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Approved,
    Denied,
    /// A quorum approval took the approve as a vote; it is still pending.
    Voted,
    /// Not decided by this person: `Refusal` says why.
    Refused,
}

/// Why one approval was not decided.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Refusal {
    /// Four-eyes: it is the decider's own request.
    FourEyes,
    /// The API key that requested it cannot decide it.
    SelfApproval,
    /// Deciding needs an approver role the decider lacks.
    MissingRole,
    /// Decided, expired or cancelled meanwhile.
    AlreadyDecided,
    /// A quorum approval this person approved already.
    AlreadyVoted,
    /// Distinct roles: the decider's roles are counted already.
    RoleAlreadyCounted,
    /// It asks for a typed answer: approve it on its own page.
    NeedsAnswer,
    /// No such approval in the organization.
    NotFound,
    /// Anything else (the store failed); nothing was decided.
    Failed,
}

const REFUSALS: [Refusal; 9] = [
    Refusal::FourEyes,
    Refusal::SelfApproval,
    Refusal::MissingRole,
    Refusal::AlreadyDecided,
    Refusal::AlreadyVoted,
    Refusal::RoleAlreadyCounted,
    Refusal::NeedsAnswer,
    Refusal::NotFound,
    Refusal::Failed,
];

impl Refusal {
    pub fn as_str(self) -> &'static str {
        match self {
            Refusal::FourEyes => "four_eyes",
            Refusal::SelfApproval => "self_approval",
            Refusal::MissingRole => "missing_role",
            Refusal::AlreadyDecided => "already_decided",
            Refusal::AlreadyVoted => "already_voted",
            Refusal::RoleAlreadyCounted => "role_already_counted",
            Refusal::NeedsAnswer => "needs_answer",
            Refusal::NotFound => "not_found",
            Refusal::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<Refusal> {
        REFUSALS.into_iter().find(|r| r.as_str() == s)
    }

    /// How a person reads it, short enough for a summary line.
    pub fn words(self) -> &'static str {
        match self {
            Refusal::FourEyes => "four-eyes",
            Refusal::SelfApproval => "requested by this key",
            Refusal::MissingRole => "needs another role",
            Refusal::AlreadyDecided => "no longer pending",
            Refusal::AlreadyVoted => "already approved by you",
            Refusal::RoleAlreadyCounted => "your role is counted already",
            Refusal::NeedsAnswer => "needs a typed answer",
            Refusal::NotFound => "not found",
            Refusal::Failed => "failed, try again",
        }
    }
}

/// One approval's result.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ItemResult {
    pub outcome: Outcome,
    pub refusal: Option<Refusal>,
}

impl ItemResult {
    pub fn done(outcome: Outcome) -> Self {
        ItemResult {
            outcome,
            refusal: None,
        }
    }

    pub fn refused(r: Refusal) -> Self {
        ItemResult {
            outcome: Outcome::Refused,
            refusal: Some(r),
        }
    }

    /// One word for the link: the outcome, or the refusal's code.
    pub fn code(&self) -> &'static str {
        match (self.outcome, self.refusal) {
            (Outcome::Approved, _) => "approved",
            (Outcome::Denied, _) => "denied",
            (Outcome::Voted, _) => "voted",
            (Outcome::Refused, r) => r.unwrap_or(Refusal::Failed).as_str(),
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Some(match code {
            "approved" => ItemResult::done(Outcome::Approved),
            "denied" => ItemResult::done(Outcome::Denied),
            "voted" => ItemResult::done(Outcome::Voted),
            other => ItemResult::refused(Refusal::parse(other)?),
        })
    }
}

/// "3 approved, 1 voted, 2 refused: four-eyes, needs another role".
pub fn summary(results: &[ItemResult]) -> String {
    let n = |o: Outcome| results.iter().filter(|r| r.outcome == o).count();
    let mut parts = Vec::new();
    for (o, word) in [
        (Outcome::Approved, "approved"),
        (Outcome::Denied, "denied"),
        (Outcome::Voted, "voted (quorum)"),
    ] {
        if n(o) > 0 {
            parts.push(format!("{} {word}", n(o)));
        }
    }
    let refused = n(Outcome::Refused);
    if refused > 0 {
        // In the declared order of the reasons, whatever order the items came in.
        let why: Vec<&str> = REFUSALS
            .iter()
            .filter(|r| results.iter().any(|i| i.refusal == Some(**r)))
            .map(|r| r.words())
            .collect();
        parts.push(format!("{refused} refused: {}", why.join(", ")));
    }
    if parts.is_empty() {
        "nothing was decided".into()
    } else {
        parts.join(", ")
    }
}

fn uuid_like(id: &str) -> bool {
    id.len() == 36 && id.chars().all(|c| c.is_ascii_hexdigit() || c == '-')
}

/// The result as the inbox's link carries it: `id.code` pairs, comma-separated
/// (an id that is no UUID was never an approval, and is left out).
pub fn encode(results: &[(String, ItemResult)]) -> String {
    results
        .iter()
        .filter(|(id, _)| uuid_like(id))
        .map(|(id, r)| format!("{id}.{}", r.code()))
        .collect::<Vec<_>>()
        .join(",")
}

/// Reads `encode`'s text back; anything malformed is left out, and at most
/// `BULK_MAX` pairs are read (the link is typed by whoever sends it).
pub fn decode(text: &str) -> Vec<(String, ItemResult)> {
    text.split(',')
        .filter_map(|pair| {
            let (id, code) = pair.split_once('.')?;
            uuid_like(id).then_some(())?;
            Some((id.to_ascii_lowercase(), ItemResult::from_code(code)?))
        })
        .take(BULK_MAX)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ID: &str = "0192f0c2-7a4e-7cc0-8d3b-3f3c7a1e2b10";

    #[test]
    fn the_summary_counts_outcomes_and_names_each_reason_once() {
        let r = [
            ItemResult::done(Outcome::Approved),
            ItemResult::done(Outcome::Approved),
            ItemResult::done(Outcome::Approved),
            ItemResult::refused(Refusal::FourEyes),
        ];
        assert_eq!(summary(&r), "3 approved, 1 refused: four-eyes");
        // The same reasons in any order read the same.
        let r = [
            ItemResult::refused(Refusal::AlreadyDecided),
            ItemResult::done(Outcome::Voted),
            ItemResult::refused(Refusal::MissingRole),
            ItemResult::refused(Refusal::MissingRole),
        ];
        assert_eq!(
            summary(&r),
            "1 voted (quorum), 3 refused: needs another role, no longer pending"
        );
        assert_eq!(summary(&[]), "nothing was decided");
    }

    #[test]
    fn results_survive_the_link_and_a_forged_link_yields_nothing_odd() {
        let all: Vec<(String, ItemResult)> = [
            ItemResult::done(Outcome::Approved),
            ItemResult::done(Outcome::Denied),
            ItemResult::done(Outcome::Voted),
        ]
        .into_iter()
        .chain(REFUSALS.into_iter().map(ItemResult::refused))
        .map(|r| (ID.to_string(), r))
        .collect();
        assert_eq!(decode(&encode(&all)), all);
        let junk = [("a\r\nb".to_string(), ItemResult::refused(Refusal::NotFound))];
        assert_eq!(encode(&junk), "");
        assert!(decode("<script>.approved,x.y,,.").is_empty());
        assert!(decode(&format!("{ID}.pwned")).is_empty());
        let many = vec![format!("{ID}.approved"); BULK_MAX + 50].join(",");
        assert_eq!(decode(&many).len(), BULK_MAX);
    }
}
