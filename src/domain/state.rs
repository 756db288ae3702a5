//! The one lifecycle state machine shared by every kind of handoff.
//!
//! `next()` is a table lookup: (kind, state, event) → new state or a typed
//! error. Nothing here does I/O; the service layer applies the result inside
//! one database transaction.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What kind of "a human is needed" this handoff is (DESIGN.md).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Approval,
    Takeover,
    Assist,
    Agent,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Approval, Kind::Takeover, Kind::Assist, Kind::Agent];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Approval => "approval",
            Kind::Takeover => "takeover",
            Kind::Assist => "assist",
            Kind::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// The stored lifecycle state. One machine for all kinds; the API may present
/// a kind-specific view (see `takeover_status`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Created,
    /// Assist: the blocker is confirmed human-only; the agent has not yet
    /// captured its browser. Nobody is told until it is `frozen`.
    Detected,
    /// Assist: the agent paused and its browser state is captured; from here
    /// it is routed like any waiting handoff.
    Frozen,
    Notified,
    Escalated,
    Opened,
    Solving,
    Solved,
    ResumeRequested,
    Resumed,
    Completed,
    Expired,
    Cancelled,
    Failed,
}

impl State {
    pub const ALL: [State; 14] = [
        State::Created,
        State::Detected,
        State::Frozen,
        State::Notified,
        State::Escalated,
        State::Opened,
        State::Solving,
        State::Solved,
        State::ResumeRequested,
        State::Resumed,
        State::Completed,
        State::Expired,
        State::Cancelled,
        State::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            State::Created => "created",
            State::Detected => "detected",
            State::Frozen => "frozen",
            State::Notified => "notified",
            State::Escalated => "escalated",
            State::Opened => "opened",
            State::Solving => "solving",
            State::Solved => "solved",
            State::ResumeRequested => "resume_requested",
            State::Resumed => "resumed",
            State::Completed => "completed",
            State::Expired => "expired",
            State::Cancelled => "cancelled",
            State::Failed => "failed",
        }
    }

    pub fn parse(s: &str) -> Option<State> {
        State::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// How far along the lifecycle a state is. A page that learns a state
    /// from a call's answer and from its live stream (which race) keeps the
    /// later one: an answer never moves the page back.
    pub fn stage(self) -> u8 {
        match self {
            State::Created | State::Detected => 0,
            State::Frozen => 1,
            State::Notified | State::Escalated => 2,
            State::Opened => 3,
            State::Solving => 4,
            State::Solved => 5,
            State::ResumeRequested => 6,
            State::Resumed => 7,
            State::Completed | State::Expired | State::Cancelled | State::Failed => 8,
        }
    }

    /// No event leaves a terminal state.
    pub fn is_terminal(self) -> bool {
        matches!(
            self,
            State::Completed | State::Expired | State::Cancelled | State::Failed
        )
    }

    /// Waiting for a person: nobody has opened it yet.
    pub fn is_waiting(self) -> bool {
        matches!(
            self,
            State::Created | State::Frozen | State::Notified | State::Escalated
        )
    }

    /// A person has it or may still get it: the handoff still needs a human.
    /// A `detected` assist counts (it is not finished), though operators do
    /// not see it until the agent has frozen its browser (`is_for_operators`).
    pub fn is_open(self) -> bool {
        self.is_waiting() || matches!(self, State::Detected | State::Opened | State::Solving)
    }

    /// Shown to operators (inbox, desk): open, and not an assist still
    /// waiting for its capture.
    pub fn is_for_operators(self) -> bool {
        self.is_open() && self != State::Detected
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that can happen to a handoff after it is created.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// An operator was alerted (push, SMS, …).
    Notify,
    /// The operator did not respond; the next one in the chain is tried.
    Escalate,
    /// An operator consumed a signed link (or opened it from the inbox).
    Open,
    /// Someone (an agent, a policy) gave the handoff to a named operator.
    Assign,
    /// A takeover operator claimed the conversation / an assist operator started typing.
    Accept,
    /// Takeover: the operator closed the matter; the conversation closes.
    Resolve,
    /// Takeover: the operator gives the conversation back to the bot.
    HandBack,
    /// Approval: a human approved or denied.
    Decide,
    /// Assist: the agent captured its browser state (`detected` → `frozen`).
    Freeze,
    /// Assist: the operator sent a click, text or key to the agent (audited
    /// as "typed N characters"; the state stays `solving`).
    Act,
    /// Approval with a quorum: one approve before the last; the state stays.
    Vote,
    /// Assist: the operator submitted the input the agent needs.
    Solve,
    /// The server signalled the agent host to continue.
    RequestResume,
    /// The agent confirmed it picked up from the frozen state.
    Resume,
    /// The agent's original task finished.
    Complete,
    /// The resume failed (state corrupted, domain changed, …).
    Fail,
    /// Timeout or escalation chain exhausted.
    Expire,
    /// The agent withdrew the request.
    Cancel,
}

impl Event {
    pub const ALL: [Event; 18] = [
        Event::Notify,
        Event::Escalate,
        Event::Open,
        Event::Assign,
        Event::Accept,
        Event::Resolve,
        Event::HandBack,
        Event::Decide,
        Event::Freeze,
        Event::Act,
        Event::Vote,
        Event::Solve,
        Event::RequestResume,
        Event::Resume,
        Event::Complete,
        Event::Fail,
        Event::Expire,
        Event::Cancel,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Event::Notify => "notify",
            Event::Escalate => "escalate",
            Event::Open => "open",
            Event::Assign => "assign",
            Event::Accept => "accept",
            Event::Resolve => "resolve",
            Event::HandBack => "hand_back",
            Event::Decide => "decide",
            Event::Freeze => "freeze",
            Event::Act => "act",
            Event::Vote => "vote",
            Event::Solve => "solve",
            Event::RequestResume => "request_resume",
            Event::Resume => "resume",
            Event::Complete => "complete",
            Event::Fail => "fail",
            Event::Expire => "expire",
            Event::Cancel => "cancel",
        }
    }

    /// The kinds an event makes sense for at all.
    fn applies_to(self, kind: Kind) -> bool {
        use Event::*;
        match self {
            Notify | Escalate | Open | Assign | Expire | Cancel => true,
            Accept => matches!(kind, Kind::Takeover | Kind::Assist | Kind::Agent),
            Resolve | HandBack => kind == Kind::Takeover,
            Decide | Vote => kind == Kind::Approval,
            Freeze | Act | Solve => kind == Kind::Assist,
            RequestResume | Resume | Fail => matches!(kind, Kind::Approval | Kind::Assist),
            Complete => matches!(kind, Kind::Approval | Kind::Assist | Kind::Agent),
        }
    }
}

impl fmt::Display for Event {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why an event was refused. Each maps to a clear API error (409 conflict).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransitionError {
    #[error("a {kind} handoff has no `{event}` step")]
    NotForKind { kind: &'static str, event: Event },
    #[error("the handoff is already {state}; nothing more can happen to it")]
    Terminal { state: State },
    #[error("`{event}` is not possible while the handoff is {state}")]
    NotAllowed { state: State, event: Event },
}

impl TransitionError {
    /// Stable machine-readable reason, used in the error envelope.
    pub fn reason(&self) -> &'static str {
        match self {
            TransitionError::NotForKind { .. } => "event_not_for_kind",
            TransitionError::Terminal { .. } => "handoff_finished",
            TransitionError::NotAllowed { .. } => "invalid_transition",
        }
    }
}

/// The state table. Rows are (from-states, event) → to-state for one kind;
/// everything not listed is refused.
pub fn next(kind: Kind, from: State, event: Event) -> Result<State, TransitionError> {
    use Event::*;
    use State::*;
    if !event.applies_to(kind) {
        return Err(TransitionError::NotForKind {
            kind: kind.as_str(),
            event,
        });
    }
    if from.is_terminal() {
        return Err(TransitionError::Terminal { state: from });
    }
    let to = match (kind, event, from) {
        // Assist: nobody is told until the agent froze its browser; from then on
        // a frozen assist is routed like any handoff that waits for a person.
        (Kind::Assist, Freeze, Detected) => Some(Frozen),
        (Kind::Assist, Notify | Escalate | Open | Assign, Frozen) => Some(match event {
            Notify => Notified,
            Escalate => Escalated,
            _ => Opened,
        }),
        (Kind::Assist, Accept, Frozen) => Some(Solving),
        (Kind::Assist, Expire | Cancel, Detected | Frozen) => {
            Some(if event == Expire { Expired } else { Cancelled })
        }
        // The operator's clicks and keys; only the assignee (checked in `plan`).
        (Kind::Assist, Act, Solving) => Some(Solving),
        // Handing a stuck screen to another operator while someone is on it.
        (Kind::Assist, Assign, Solving) => Some(Opened),
        // Routing: any kind can be announced to a person and escalated while nobody has it.
        (_, Notify, Created | Escalated) => Some(Notified),
        (_, Escalate, Created | Notified) => Some(Escalated),
        // Opening a link. Re-opening (a second device, a fresh link) is audited but keeps
        // the state; while solving, only the assignee may re-open (checked in `plan`).
        (_, Open, Created | Notified | Escalated | Opened) => Some(Opened),
        (_, Open, Solving) => Some(Solving),
        (_, Assign, Created | Notified | Escalated | Opened) => Some(Opened),
        (
            Kind::Takeover | Kind::Assist | Kind::Agent,
            Accept,
            Created | Notified | Escalated | Opened,
        ) => Some(Solving),
        // Takeover ends when the operator resolves or hands back; nothing to resume.
        (Kind::Takeover, Resolve | HandBack, Created | Notified | Escalated | Opened | Solving) => {
            Some(Completed)
        }
        // Approval: decided straight from the queue or after opening.
        (Kind::Approval, Decide, Created | Notified | Escalated | Opened | Solving) => Some(Solved),
        // A vote is recorded wherever a decision could be, and changes nothing else.
        (Kind::Approval, Vote, Created | Notified | Escalated | Opened | Solving) => Some(from),
        (Kind::Assist, Solve, Opened | Solving) => Some(Solved),
        (Kind::Approval | Kind::Assist, RequestResume, Solved) => Some(ResumeRequested),
        (Kind::Approval | Kind::Assist, Resume, Solved | ResumeRequested) => Some(Resumed),
        (Kind::Approval | Kind::Assist, Complete, Resumed) => Some(Completed),
        (Kind::Agent, Complete, Solving) => Some(Completed),
        (Kind::Approval | Kind::Assist, Fail, Solved | ResumeRequested) => Some(Failed),
        // Timeouts and withdrawals only while a human is still needed.
        (_, Expire | Cancel, Created | Notified | Escalated | Opened | Solving) => {
            Some(if event == Expire { Expired } else { Cancelled })
        }
        _ => None,
    };
    to.ok_or(TransitionError::NotAllowed { state: from, event })
}

/// The seed-000 takeover status presented by the API for the stored state.
pub fn takeover_status(state: State) -> &'static str {
    match state {
        State::Created | State::Detected | State::Frozen | State::Notified | State::Escalated => {
            "requested"
        }
        State::Opened => "assigned",
        State::Solving => "accepted",
        State::Solved | State::ResumeRequested | State::Resumed | State::Completed => "resolved",
        State::Expired | State::Cancelled | State::Failed => "cancelled",
    }
}

/// States a seed-000 takeover status filter selects.
pub fn states_for_takeover_status(status: &str) -> Option<Vec<State>> {
    let states: Vec<State> = State::ALL
        .into_iter()
        .filter(|s| takeover_status(*s) == status)
        .collect();
    (!states.is_empty()).then_some(states)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    #[test]
    fn no_transition_but_a_reassignment_moves_a_state_to_an_earlier_stage() {
        for kind in Kind::ALL {
            for from in State::ALL {
                for event in Event::ALL {
                    if let Ok(to) = next(kind, from, event) {
                        // Handing a screen being solved to another operator reopens it.
                        let reassigned = event == Event::Assign && from == State::Solving;
                        assert!(
                            to.stage() >= from.stage() || reassigned,
                            "{kind:?} {from:?} --{event:?}--> {to:?}"
                        );
                    }
                }
            }
        }
    }

    /// The expected table, written out independently of `next()`:
    /// (kind, from, event) → to. Every triple not listed must be refused.
    fn expected() -> HashMap<(Kind, State, Event), State> {
        use Event::*;
        use State::*;
        let mut t = HashMap::new();
        let waiting = [Created, Notified, Escalated];
        let open = [Created, Notified, Escalated, Opened, Solving];
        for kind in Kind::ALL {
            t.insert((kind, Created, Notify), Notified);
            t.insert((kind, Escalated, Notify), Notified);
            t.insert((kind, Created, Escalate), Escalated);
            t.insert((kind, Notified, Escalate), Escalated);
            for s in waiting.into_iter().chain([Opened]) {
                t.insert((kind, s, Open), Opened);
            }
            t.insert((kind, Solving, Open), Solving);
            for s in waiting.into_iter().chain([Opened]) {
                t.insert((kind, s, Assign), Opened);
            }
            for s in open {
                t.insert((kind, s, Expire), Expired);
                t.insert((kind, s, Cancel), Cancelled);
            }
        }
        for kind in [Kind::Takeover, Kind::Assist, Kind::Agent] {
            for s in waiting.into_iter().chain([Opened]) {
                t.insert((kind, s, Accept), Solving);
            }
        }
        for s in open {
            t.insert((Kind::Takeover, s, Resolve), Completed);
            t.insert((Kind::Takeover, s, HandBack), Completed);
            t.insert((Kind::Approval, s, Decide), Solved);
            t.insert((Kind::Approval, s, Vote), s);
        }
        t.insert((Kind::Assist, Opened, Solve), Solved);
        t.insert((Kind::Assist, Solving, Solve), Solved);
        for kind in [Kind::Approval, Kind::Assist] {
            t.insert((kind, Solved, RequestResume), ResumeRequested);
            t.insert((kind, Solved, Resume), Resumed);
            t.insert((kind, ResumeRequested, Resume), Resumed);
            t.insert((kind, Resumed, Complete), Completed);
            t.insert((kind, Solved, Fail), Failed);
            t.insert((kind, ResumeRequested, Fail), Failed);
        }
        t.insert((Kind::Agent, Solving, Complete), Completed);
        // Assist only: the capture step, routing from `frozen`, the operator's
        // actions, and handing the screen over while it is being solved.
        let a = Kind::Assist;
        t.insert((a, Detected, Freeze), Frozen);
        t.insert((a, Frozen, Notify), Notified);
        t.insert((a, Frozen, Escalate), Escalated);
        t.insert((a, Frozen, Open), Opened);
        t.insert((a, Frozen, Assign), Opened);
        t.insert((a, Frozen, Accept), Solving);
        for s in [Detected, Frozen] {
            t.insert((a, s, Expire), Expired);
            t.insert((a, s, Cancel), Cancelled);
        }
        t.insert((a, Solving, Act), Solving);
        t.insert((a, Solving, Assign), Opened);
        t
    }

    #[test]
    fn every_kind_state_event_is_allowed_or_a_typed_error() {
        let table = expected();
        let mut allowed = 0;
        for kind in Kind::ALL {
            for from in State::ALL {
                for event in Event::ALL {
                    let got = next(kind, from, event);
                    match table.get(&(kind, from, event)) {
                        Some(to) => {
                            assert_eq!(got, Ok(*to), "{kind:?} {from:?} --{event:?}-->");
                            allowed += 1;
                        }
                        None => {
                            let err = got.expect_err(&format!(
                                "{kind:?} {from:?} --{event:?}--> must be refused"
                            ));
                            let expected_err = if !event.applies_to(kind) {
                                TransitionError::NotForKind {
                                    kind: kind.as_str(),
                                    event,
                                }
                            } else if from.is_terminal() {
                                TransitionError::Terminal { state: from }
                            } else {
                                TransitionError::NotAllowed { state: from, event }
                            };
                            assert_eq!(err, expected_err);
                        }
                    }
                }
            }
        }
        assert_eq!(allowed, table.len(), "every listed transition was visited");
    }

    #[test]
    fn terminal_states_accept_nothing() {
        for kind in Kind::ALL {
            for from in State::ALL.into_iter().filter(|s| s.is_terminal()) {
                for event in Event::ALL {
                    assert!(next(kind, from, event).is_err());
                }
            }
        }
    }

    #[test]
    fn a_decided_approval_cannot_be_decided_again() {
        let solved = next(Kind::Approval, State::Created, Event::Decide).unwrap();
        assert_eq!(
            next(Kind::Approval, solved, Event::Decide),
            Err(TransitionError::NotAllowed {
                state: State::Solved,
                event: Event::Decide
            })
        );
    }

    #[test]
    fn takeover_happy_path_reads_as_the_seed_statuses() {
        let mut s = State::Created;
        let mut seen = vec![takeover_status(s)];
        for e in [Event::Open, Event::Accept, Event::Resolve] {
            s = next(Kind::Takeover, s, e).unwrap();
            seen.push(takeover_status(s));
        }
        assert_eq!(seen, ["requested", "assigned", "accepted", "resolved"]);
    }

    #[test]
    fn assist_happy_path_passes_through_every_seed_state() {
        use Event::*;
        let mut s = State::Detected;
        let mut seen = vec![s];
        for e in [
            Freeze,
            Notify,
            Open,
            Accept,
            Act,
            Solve,
            RequestResume,
            Resume,
            Complete,
        ] {
            s = next(Kind::Assist, s, e).unwrap();
            seen.push(s);
        }
        assert_eq!(
            seen.iter().map(|s| s.as_str()).collect::<Vec<_>>(),
            [
                "detected",
                "frozen",
                "notified",
                "opened",
                "solving",
                "solving",
                "solved",
                "resume_requested",
                "resumed",
                "completed"
            ]
        );
    }

    #[test]
    fn only_assists_are_detected_or_frozen_and_nobody_is_told_before_frozen() {
        for kind in [Kind::Approval, Kind::Takeover, Kind::Agent] {
            assert!(next(kind, State::Detected, Event::Freeze).is_err());
        }
        for e in [
            Event::Notify,
            Event::Escalate,
            Event::Open,
            Event::Assign,
            Event::Accept,
        ] {
            assert!(next(Kind::Assist, State::Detected, e).is_err(), "{e:?}");
        }
        assert!(!State::Detected.is_for_operators());
        assert!(State::Frozen.is_for_operators());
    }

    #[test]
    fn names_round_trip() {
        for s in State::ALL {
            assert_eq!(State::parse(s.as_str()), Some(s));
        }
        for k in Kind::ALL {
            assert_eq!(Kind::parse(k.as_str()), Some(k));
        }
        assert_eq!(states_for_takeover_status("nope"), None);
    }
}
