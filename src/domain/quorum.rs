//! Quorum approvals (issue 14 §3): `required_approvals` people approve before
//! the approval counts; each approve before the last is a vote (its own audit
//! event, no state change); the first deny decides at once. With
//! `distinct_roles` the approvals must come from that many different roles.

use serde::{Deserialize, Serialize};

/// The most approvals one approval may require.
pub const MAX_REQUIRED: u32 = 10;

/// One approve recorded before (or as) the deciding one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// The voter's actor label (`operator:<id>`, `api_key:<id>`).
    pub voter: String,
    /// The voter's roles when they voted (what `distinct_roles` counts).
    pub roles: Vec<String>,
    pub voted_at: String,
}

/// What a quorum approval needs, with the votes so far (read fresh for every
/// attempt of the write: a lost race is counted again).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ballot {
    pub required: u32,
    pub distinct_roles: bool,
    /// The roles of whoever is deciding now.
    pub voter_roles: Vec<String>,
    pub votes: Vec<Vote>,
}

/// What one more approve or deny does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Cast {
    /// The approval is decided (the last approval arrived, or a deny).
    Decides { approvals: usize },
    /// A vote: `approvals` of `required` so far, still pending.
    Counts { approvals: usize },
}

/// Why a vote is refused (409).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VoteRefusal {
    #[error("you already approved this; it needs approvals from other people")]
    AlreadyVoted,
    #[error("this approval needs approvals from {required} different roles; yours ({roles}) are already counted, so someone with another role must approve")]
    RoleAlreadyCounted { required: u32, roles: String },
}

impl VoteRefusal {
    pub fn reason(&self) -> &'static str {
        match self {
            VoteRefusal::AlreadyVoted => "already_voted",
            VoteRefusal::RoleAlreadyCounted { .. } => "role_already_counted",
        }
    }
}

impl Ballot {
    /// `voter` approves (or denies). One vote per person; with distinct roles a
    /// vote must bring a role not yet counted (a vote that adds none now never
    /// will, so refusing it loses nothing).
    pub fn cast(&self, voter: &str, approve: bool) -> Result<Cast, VoteRefusal> {
        if self.votes.iter().any(|v| v.voter == voter) {
            return Err(VoteRefusal::AlreadyVoted);
        }
        let so_far = self.counted(&self.votes);
        if !approve {
            return Ok(Cast::Decides { approvals: so_far });
        }
        let mut with = self.votes.clone();
        with.push(Vote {
            voter: voter.to_string(),
            roles: self.voter_roles.clone(),
            voted_at: String::new(),
        });
        let now = self.counted(&with);
        if now == so_far {
            let mut roles = self.voter_roles.clone();
            roles.sort();
            return Err(VoteRefusal::RoleAlreadyCounted {
                required: self.required,
                roles: if roles.is_empty() {
                    "none".into()
                } else {
                    roles.join(", ")
                },
            });
        }
        Ok(if now >= self.required as usize {
            Cast::Decides { approvals: now }
        } else {
            Cast::Counts { approvals: now }
        })
    }

    /// How many of `votes` count: all of them, or with distinct roles the most
    /// that can each stand for a different one of their roles.
    pub fn counted(&self, votes: &[Vote]) -> usize {
        if self.distinct_roles {
            distinct_role_count(votes)
        } else {
            votes.len()
        }
    }
}

/// The largest number of voters that can each be given a different one of
/// their own roles (a bipartite matching; at most ten voters, so the simple
/// augmenting-path search is plenty).
pub fn distinct_role_count(votes: &[Vote]) -> usize {
    let mut holder: std::collections::HashMap<&str, usize> = Default::default();
    fn assign<'a>(
        v: usize,
        votes: &'a [Vote],
        seen: &mut Vec<&'a str>,
        holder: &mut std::collections::HashMap<&'a str, usize>,
    ) -> bool {
        for role in &votes[v].roles {
            if seen.contains(&role.as_str()) {
                continue;
            }
            seen.push(role.as_str());
            let free = match holder.get(role.as_str()).copied() {
                None => true,
                Some(other) => assign(other, votes, seen, holder),
            };
            if free {
                holder.insert(role.as_str(), v);
                return true;
            }
        }
        false
    }
    (0..votes.len())
        .filter(|&v| assign(v, votes, &mut Vec::new(), &mut holder))
        .count()
}

/// "2 of 3 approved" as the page and the inbox say it.
pub fn progress(approvals: usize, required: u32) -> String {
    format!("{approvals} of {required} approved")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vote(voter: &str, roles: &[&str]) -> Vote {
        Vote {
            voter: voter.into(),
            roles: roles.iter().map(|r| r.to_string()).collect(),
            voted_at: String::new(),
        }
    }

    fn ballot(required: u32, distinct: bool, me: &[&str], votes: Vec<Vote>) -> Ballot {
        Ballot {
            required,
            distinct_roles: distinct,
            voter_roles: me.iter().map(|r| r.to_string()).collect(),
            votes,
        }
    }

    #[test]
    fn the_last_of_n_approvals_decides_and_a_deny_decides_at_once() {
        let b = ballot(3, false, &[], vec![vote("operator:a", &[])]);
        assert_eq!(
            b.cast("operator:b", true),
            Ok(Cast::Counts { approvals: 2 })
        );
        let b = ballot(
            3,
            false,
            &[],
            vec![vote("operator:a", &[]), vote("operator:b", &[])],
        );
        assert_eq!(
            b.cast("operator:c", true),
            Ok(Cast::Decides { approvals: 3 })
        );
        assert_eq!(
            b.cast("operator:c", false),
            Ok(Cast::Decides { approvals: 2 })
        );
        assert_eq!(b.cast("operator:a", true), Err(VoteRefusal::AlreadyVoted));
        assert_eq!(b.cast("operator:a", false), Err(VoteRefusal::AlreadyVoted));
    }

    #[test]
    fn distinct_roles_count_people_who_can_each_stand_for_another_role() {
        // Two finance people are one role.
        let b = ballot(
            2,
            true,
            &["finance"],
            vec![vote("operator:a", &["finance"])],
        );
        assert!(matches!(
            b.cast("operator:b", true),
            Err(VoteRefusal::RoleAlreadyCounted { .. })
        ));
        // Someone with finance and legal lets the first stand for finance.
        let b = ballot(
            2,
            true,
            &["finance", "legal"],
            vec![vote("operator:a", &["finance"])],
        );
        assert_eq!(
            b.cast("operator:b", true),
            Ok(Cast::Decides { approvals: 2 })
        );
        // Reassigning: a {x,y} then b {x} still counts two.
        assert_eq!(
            distinct_role_count(&[vote("a", &["x", "y"]), vote("b", &["x"])]),
            2
        );
        assert_eq!(distinct_role_count(&[vote("a", &[]), vote("b", &["x"])]), 1);
        // No role at all (an API key) brings none.
        let b = ballot(2, true, &[], vec![]);
        assert!(b.cast("api_key:k", true).is_err());
    }

    #[test]
    fn progress_reads_naturally() {
        assert_eq!(progress(2, 3), "2 of 3 approved");
    }
}
