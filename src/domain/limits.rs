//! Every bound on text that agents, customers, operators and tenants send, in
//! one place, with the one check that enforces them. A value over its bound is
//! refused with the field named; nothing is truncated silently.

/// A field-level validation failure, named by its JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: String,
    pub message: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        FieldProblem {
            field: field.into(),
            message: message.into(),
        }
    }
}

/// References and names: subject refs, roles, agent names, external refs, ids.
pub const REF_MAX: usize = 200;
/// Short prose a person reads: decision notes, suspend messages, holding lines.
pub const NOTE_MAX: usize = 2_000;
/// The reason given with a step (cancel, expire, fail, resume, …).
pub const REASON_MAX: usize = 1_000;
/// Seed 003's escalation: `reason` (200) and `summary` (1000).
pub const ESCALATION_REASON_MAX: usize = 200;
pub const ESCALATION_SUMMARY_MAX: usize = 1_000;
/// One chat message.
pub const MESSAGE_MAX: usize = 20_000;
/// The packet's headline (shown in titles and notifications) and its other texts.
pub const STATIC_TEXT_MAX: usize = 2_000;
pub const PACKET_TEXT_MAX: usize = 20_000;
/// JSON objects carried along (context vars, approval payloads).
pub const JSON_MAX_BYTES: usize = 64 * 1024;

/// Refuses a value longer than `max` characters (`None` passes).
pub fn too_long(field: &str, value: Option<&str>, max: usize) -> Result<(), FieldProblem> {
    match value {
        Some(v) if v.chars().count() > max => Err(FieldProblem::new(
            field,
            format!("must be at most {max} characters"),
        )),
        _ => Ok(()),
    }
}

/// Refuses a value that is blank or longer than `max` characters.
pub fn required(field: &str, value: &str, max: usize) -> Result<(), FieldProblem> {
    if value.trim().is_empty() {
        return Err(FieldProblem::new(field, "must not be empty"));
    }
    too_long(field, Some(value), max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bounds_count_characters_not_bytes() {
        let max = "é".repeat(REF_MAX);
        assert!(too_long("x", Some(&max), REF_MAX).is_ok());
        let over = format!("{max}é");
        assert_eq!(too_long("x", Some(&over), REF_MAX).unwrap_err().field, "x");
        assert!(required("x", "  ", REF_MAX).is_err());
        assert!(too_long("x", None, 0).is_ok());
    }
}
