//! Typed answers (issue 14 §3): a `response_schema` is checked when an
//! approval is requested, and the person's answer is validated against it
//! when they decide — with the `jsonschema` crate, not by hand.
//!
//! Schemas come from agents, so they are hostile input: at most 16 KiB, an
//! object, no remote or file `$ref` (the crate is built without resolvers, so
//! such a reference fails to compile rather than being fetched), and `pattern`
//! runs on the linear-time `regex` engine (no catastrophic backtracking).

use crate::domain::limits::JSON_MAX_BYTES;
use crate::error::AppError;
use serde_json::Value;

/// The largest `response_schema`, as JSON.
pub const SCHEMA_MAX_BYTES: usize = 16 * 1024;
/// Messages quote the answer; keep them readable.
const MESSAGE_MAX: usize = 300;

fn validator(schema: &Value) -> Result<jsonschema::Validator, String> {
    jsonschema::options()
        .with_pattern_options(jsonschema::PatternOptions::regex())
        .build(schema)
        .map_err(|e| e.to_string())
}

fn shorten(mut s: String) -> String {
    if s.chars().count() > MESSAGE_MAX {
        s = s.chars().take(MESSAGE_MAX).collect::<String>() + "…";
    }
    s
}

/// A usable `response_schema`, or a 422 naming `field`.
pub fn check_schema(field: &str, schema: &Value) -> Result<(), AppError> {
    if !schema.is_object() {
        return Err(AppError::invalid_field(
            field,
            "must be a JSON Schema object, such as {\"type\": \"string\"}",
        ));
    }
    if schema.to_string().len() > SCHEMA_MAX_BYTES {
        return Err(AppError::invalid_field(
            field,
            format!("must be at most {SCHEMA_MAX_BYTES} bytes of JSON"),
        ));
    }
    validator(schema).map(|_| ()).map_err(|e| {
        AppError::invalid_field(field, shorten(format!("is not a usable JSON Schema: {e}")))
    })
}

/// The answer fits the schema, or a 422 naming `answer` that says where it does not.
pub fn validate(schema: &Value, answer: &Value) -> Result<(), AppError> {
    if answer.to_string().len() > JSON_MAX_BYTES {
        return Err(AppError::invalid_field(
            "answer",
            format!("must be at most {JSON_MAX_BYTES} bytes of JSON"),
        ));
    }
    // Checked when the approval was created; a schema that no longer compiles is refused the same way.
    let v = validator(schema).map_err(|e| {
        AppError::invalid_field(
            "answer",
            shorten(format!("the question's schema is not usable: {e}")),
        )
    })?;
    let problems: Vec<String> = v
        .iter_errors(answer)
        .take(3)
        .map(|e| {
            let at = e.instance_path().to_string();
            if at.is_empty() {
                e.to_string()
            } else {
                format!("{at}: {e}")
            }
        })
        .collect();
    if problems.is_empty() {
        return Ok(());
    }
    Err(AppError::invalid_field(
        "answer",
        shorten(format!(
            "does not match the question's schema: {}",
            problems.join("; ")
        )),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn answers_are_checked_against_the_schema() {
        let s = json!({"type": "integer", "minimum": 1, "maximum": 5});
        assert!(validate(&s, &json!(3)).is_ok());
        let e = validate(&s, &json!(9)).unwrap_err();
        assert_eq!(e.fields[0].field, "answer");
        assert!(validate(&s, &json!("3")).is_err());
        let choice = json!({"enum": ["refund", "replace"]});
        assert!(validate(&choice, &json!("refund")).is_ok());
        assert!(validate(&choice, &json!("cash")).is_err());
    }

    #[test]
    fn unusable_or_hostile_schemas_are_refused() {
        assert!(check_schema("response_schema", &json!({"type": "string"})).is_ok());
        for bad in [
            json!("string"),
            json!({"type": 5}),
            json!({"$ref": "https://example.com/s.json"}),
            json!({"$ref": "file:///etc/passwd"}),
            json!({"type": "string", "description": "x".repeat(SCHEMA_MAX_BYTES)}),
        ] {
            let e = check_schema("response_schema", &bad).unwrap_err();
            assert_eq!(e.fields[0].field, "response_schema", "{bad}");
        }
        // A pattern that backtracks forever elsewhere runs in linear time here.
        let s = json!({"type": "string", "pattern": "^(a+)+$"});
        assert!(check_schema("response_schema", &s).is_ok());
        assert!(validate(&s, &json!(format!("{}!", "a".repeat(5000)))).is_err());
    }
}
