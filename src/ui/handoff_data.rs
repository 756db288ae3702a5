//! What the handoff page's islands start from, handed over without props.
//!
//! Leptos sends an island's props as JSON (`data-props`) and reads them with
//! serde_json, whose code (with the serde code it instantiates for each type)
//! was about a seventh of the page's main WASM module (docs/performance.md).
//! The handoff page's islands take no props: the page writes what they need
//! once, as `data-*` attributes of one hidden element (escaped like every
//! attribute), and each island reads them: from the page's context while the
//! server renders it, from that element in the browser.

// The readers run in the browser (and in the unit tests), not in the server.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

use super::types::AssistScreenInit;
use crate::domain::answer::{option_label, AnswerField};
use leptos::prelude::*;

/// Between the items of a list in one attribute: a control character that
/// names and option labels do not contain.
const SEP: char = '\u{1f}';

/// The handoff as the page was rendered.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HandoffData {
    pub id: String,
    pub kind: String,
    pub state: String,
    pub assignee: Option<String>,
    pub decision: Option<String>,
    pub decided_by: Option<String>,
    pub operator_id: String,
    /// The audit seq of the latest event the page shows.
    pub last_event_seq: i64,
    /// The seq of the last message in the page's (server-rendered)
    /// transcript, 0 if none: the islands show only what comes after it.
    pub last_message_seq: i64,
    /// The page showed no message ("No messages." until one comes).
    pub no_messages: bool,
    pub approval: Option<DecisionData>,
    /// An assist handoff's screen (its `handoff_id` is `id`).
    pub assist: Option<AssistScreenInit>,
}

/// What an approval's islands need besides the handoff.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct DecisionData {
    /// Why this operator cannot decide (missing role), shown instead of the form.
    pub cannot_decide: Option<String>,
    pub payload_json: String,
    /// The input the approval's `response_schema` asks for (typed answers).
    pub answer: Option<AnswerSpec>,
    /// The schema's description of the answer.
    pub answer_hint: Option<String>,
    /// Link to "approve similar" once approved here (admins).
    pub similar_link: bool,
    /// When the approval expires (seconds since the epoch).
    pub timeout_unix: Option<i64>,
    /// "2 of 3 approved" and the voters' names (quorum approvals).
    pub quorum: Option<(String, Vec<String>)>,
}

/// The answer's input as the page draws it: an `AnswerField` whose numbers
/// and options are already text (the browser neither parses nor prints them).
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerSpec {
    pub input: AnswerInputKind,
    pub max_length: Option<String>,
    pub min: Option<String>,
    pub max: Option<String>,
    /// A choice's options, as shown and as posted.
    pub options: Vec<String>,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub enum AnswerInputKind {
    Line,
    Text,
    Number,
    Integer,
    Boolean,
    Choice,
    Json,
}

impl AnswerInputKind {
    const ALL: [AnswerInputKind; 7] = [
        Self::Line,
        Self::Text,
        Self::Number,
        Self::Integer,
        Self::Boolean,
        Self::Choice,
        Self::Json,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Line => "line",
            Self::Text => "text",
            Self::Number => "number",
            Self::Integer => "integer",
            Self::Boolean => "boolean",
            Self::Choice => "choice",
            Self::Json => "json",
        }
    }

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl From<&AnswerField> for AnswerSpec {
    fn from(field: &AnswerField) -> Self {
        let text = |n: &Option<u64>| n.map(|n| n.to_string());
        let num = |n: &Option<f64>| n.map(|n| n.to_string());
        let mut spec = AnswerSpec {
            input: AnswerInputKind::Json,
            max_length: None,
            min: None,
            max: None,
            options: Vec::new(),
        };
        match field {
            AnswerField::Line { max_length } => {
                spec.input = AnswerInputKind::Line;
                spec.max_length = text(max_length);
            }
            AnswerField::Text { max_length } => {
                spec.input = AnswerInputKind::Text;
                spec.max_length = text(max_length);
            }
            AnswerField::Number {
                integer,
                minimum,
                maximum,
            } => {
                spec.input = if *integer {
                    AnswerInputKind::Integer
                } else {
                    AnswerInputKind::Number
                };
                spec.min = num(minimum);
                spec.max = num(maximum);
            }
            AnswerField::Boolean => spec.input = AnswerInputKind::Boolean,
            AnswerField::Choice { options } => {
                spec.input = AnswerInputKind::Choice;
                spec.options = options.iter().map(option_label).collect();
            }
            AnswerField::Json => {}
        }
        spec
    }
}

/// The page's data, where the islands read it.
pub fn handoff_data() -> HandoffData {
    #[cfg(feature = "hydrate")]
    {
        let el = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(ELEMENT_ID));
        el.map(|el| HandoffData::from_attrs(|name| el.get_attribute(name)))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        use_context::<HandoffData>().unwrap_or_default()
    }
}

const ELEMENT_ID: &str = "handoff-data";

fn joined(items: &[String]) -> String {
    items
        .iter()
        .map(|i| i.replace(SEP, " "))
        .collect::<Vec<_>>()
        .join(&SEP.to_string())
}

fn split(s: Option<String>) -> Vec<String> {
    s.filter(|s| !s.is_empty())
        .map(|s| s.split(SEP).map(str::to_string).collect())
        .unwrap_or_default()
}

impl HandoffData {
    /// The data as `data-*` attributes (name, value); a `None` is left out.
    pub fn attrs(&self) -> Vec<(&'static str, Option<String>)> {
        let yes = |b: bool| b.then(|| "1".to_string());
        let mut a = vec![
            ("data-id", Some(self.id.clone())),
            ("data-kind", Some(self.kind.clone())),
            ("data-state", Some(self.state.clone())),
            ("data-assignee", self.assignee.clone()),
            ("data-decision", self.decision.clone()),
            ("data-decided-by", self.decided_by.clone()),
            ("data-operator", Some(self.operator_id.clone())),
            ("data-event-seq", Some(self.last_event_seq.to_string())),
            ("data-message-seq", Some(self.last_message_seq.to_string())),
            ("data-no-messages", yes(self.no_messages)),
        ];
        if let Some(d) = &self.approval {
            let answer = d.answer.as_ref();
            a.extend([
                ("data-approval", Some("1".to_string())),
                ("data-cannot-decide", d.cannot_decide.clone()),
                ("data-payload", Some(d.payload_json.clone())),
                ("data-answer", answer.map(|s| s.input.as_str().to_string())),
                (
                    "data-answer-max-length",
                    answer.and_then(|s| s.max_length.clone()),
                ),
                ("data-answer-min", answer.and_then(|s| s.min.clone())),
                ("data-answer-max", answer.and_then(|s| s.max.clone())),
                ("data-answer-options", answer.map(|s| joined(&s.options))),
                ("data-answer-hint", d.answer_hint.clone()),
                ("data-similar", yes(d.similar_link)),
                ("data-timeout", d.timeout_unix.map(|t| t.to_string())),
                ("data-quorum", d.quorum.as_ref().map(|q| q.0.clone())),
                ("data-voters", d.quorum.as_ref().map(|q| joined(&q.1))),
            ]);
        }
        if let Some(s) = &self.assist {
            a.extend([
                ("data-assist-input", Some(s.input.clone())),
                ("data-frame-seq", Some(s.frame_seq.to_string())),
                ("data-viewport-width", Some(s.viewport_width.to_string())),
                ("data-viewport-height", Some(s.viewport_height.to_string())),
            ]);
        }
        a
    }

    /// The data back from its attributes (`attr(name)` as `getAttribute`).
    pub fn from_attrs(attr: impl Fn(&str) -> Option<String>) -> HandoffData {
        let int = |name: &str| attr(name).and_then(|v| v.parse().ok()).unwrap_or(0);
        let approval = attr("data-approval").map(|_| DecisionData {
            cannot_decide: attr("data-cannot-decide"),
            payload_json: attr("data-payload").unwrap_or_default(),
            answer: attr("data-answer")
                .and_then(|k| AnswerInputKind::parse(&k))
                .map(|input| AnswerSpec {
                    input,
                    max_length: attr("data-answer-max-length"),
                    min: attr("data-answer-min"),
                    max: attr("data-answer-max"),
                    options: split(attr("data-answer-options")),
                }),
            answer_hint: attr("data-answer-hint"),
            similar_link: attr("data-similar").is_some(),
            timeout_unix: attr("data-timeout").and_then(|t| t.parse().ok()),
            quorum: attr("data-quorum").map(|q| (q, split(attr("data-voters")))),
        });
        let assist = attr("data-assist-input").map(|input| AssistScreenInit {
            handoff_id: attr("data-id").unwrap_or_default(),
            input,
            frame_seq: int("data-frame-seq"),
            viewport_width: int("data-viewport-width"),
            viewport_height: int("data-viewport-height"),
        });
        HandoffData {
            id: attr("data-id").unwrap_or_default(),
            kind: attr("data-kind").unwrap_or_default(),
            state: attr("data-state").unwrap_or_default(),
            assignee: attr("data-assignee"),
            decision: attr("data-decision"),
            decided_by: attr("data-decided-by"),
            operator_id: attr("data-operator").unwrap_or_default(),
            last_event_seq: int("data-event-seq"),
            last_message_seq: int("data-message-seq"),
            no_messages: attr("data-no-messages").is_some(),
            approval,
            assist,
        }
    }
}

/// Writes the page's data for the islands' browser side (the page provides
/// the same `HandoffData` as context for their server side).
#[component]
pub fn HandoffDataElement(data: HandoffData) -> impl IntoView {
    use leptos::attr::custom::custom_attribute;
    use leptos::tachys::html::attribute::any_attribute::IntoAnyAttribute;
    let attrs: Vec<_> = data
        .attrs()
        .into_iter()
        .map(|(name, value)| custom_attribute(name, value).into_any_attr())
        .collect();
    view! { <div id=ELEMENT_ID hidden {..attrs}></div> }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn round_trip(d: &HandoffData) -> HandoffData {
        let attrs: HashMap<_, _> = d
            .attrs()
            .into_iter()
            .filter_map(|(k, v)| Some((k, v?)))
            .collect();
        HandoffData::from_attrs(|name| attrs.get(name).cloned())
    }

    #[test]
    fn what_the_page_writes_the_islands_read_back() {
        let takeover = HandoffData {
            id: "h1".into(),
            kind: "takeover".into(),
            state: "solving".into(),
            assignee: Some("op-1".into()),
            operator_id: "op-1".into(),
            last_event_seq: 41,
            last_message_seq: 9,
            ..Default::default()
        };
        assert_eq!(round_trip(&takeover), takeover);
        let approval = HandoffData {
            kind: "approval".into(),
            decision: Some("approved".into()),
            decided_by: Some("operator:op-2".into()),
            no_messages: true,
            approval: Some(DecisionData {
                cannot_decide: Some("<b>needs role</b> \"finance\"".into()),
                payload_json: r#"{"amount": 12.5, "to": "</div>"}"#.into(),
                answer: Some(AnswerSpec::from(&AnswerField::Number {
                    integer: false,
                    minimum: Some(0.5),
                    maximum: None,
                })),
                answer_hint: Some("How much".into()),
                similar_link: true,
                timeout_unix: Some(1_800_000_000),
                quorum: Some(("1 of 2 approved".into(), vec!["Ann".into(), "Bo, b".into()])),
            }),
            ..takeover.clone()
        };
        assert_eq!(round_trip(&approval), approval);
        let assist = HandoffData {
            kind: "assist".into(),
            assist: Some(AssistScreenInit {
                handoff_id: "h1".into(),
                input: "code".into(),
                frame_seq: 3,
                viewport_width: 390,
                viewport_height: 844,
            }),
            ..takeover.clone()
        };
        assert_eq!(round_trip(&assist), assist);
    }

    #[test]
    fn a_choices_options_and_a_limit_arrive_as_text() {
        let field = AnswerField::Choice {
            options: vec![
                serde_json::json!("red"),
                serde_json::json!(3),
                serde_json::json!(true),
            ],
        };
        let spec = AnswerSpec::from(&field);
        assert_eq!(spec.input, AnswerInputKind::Choice);
        assert_eq!(spec.options, ["red", "3", "true"]);
        let line = AnswerSpec::from(&AnswerField::Line {
            max_length: Some(80),
        });
        assert_eq!(
            (line.input, line.max_length.as_deref()),
            (AnswerInputKind::Line, Some("80"))
        );
        let whole = AnswerSpec::from(&AnswerField::Number {
            integer: true,
            minimum: Some(1.0),
            maximum: Some(10.0),
        });
        assert_eq!(whole.input, AnswerInputKind::Integer);
        assert_eq!(
            (whole.min.as_deref(), whole.max.as_deref()),
            (Some("1"), Some("10"))
        );
    }

    #[test]
    fn no_quorum_and_no_voters_stay_apart() {
        let mut d = HandoffData {
            approval: Some(DecisionData {
                quorum: Some(("0 of 2 approved".into(), vec![])),
                ..Default::default()
            }),
            ..Default::default()
        };
        assert_eq!(round_trip(&d), d);
        d.approval = Some(DecisionData::default());
        assert_eq!(round_trip(&d), d);
    }
}
