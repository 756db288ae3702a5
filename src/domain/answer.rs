//! Typed answers (issue 14 §3): which form field a `response_schema` asks for,
//! and how the field's text becomes the JSON value that is then validated
//! against the schema (by the service, with a JSON Schema crate). Pure: the
//! page renders the field from this, the server parses the posted text with it.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// Strings up to this many characters get a one-line input; longer (or
/// unbounded) strings get a text area.
pub const ONE_LINE_MAX: u64 = 200;

/// The schema of a question asked without one: free text.
pub fn free_text_schema() -> Value {
    serde_json::json!({ "type": "string", "minLength": 1, "maxLength": 2000 })
}

/// The form field for an answer.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "field", rename_all = "snake_case")]
pub enum AnswerField {
    /// A one-line text input.
    Line { max_length: Option<u64> },
    /// A text area (long or unbounded strings).
    Text { max_length: Option<u64> },
    /// A number input; `integer` allows whole numbers only.
    Number {
        integer: bool,
        minimum: Option<f64>,
        maximum: Option<f64>,
    },
    /// Yes / no.
    Boolean,
    /// One of these values (`enum` of strings, numbers or booleans, shown as text).
    Choice { options: Vec<Value> },
    /// Anything else (objects, arrays, `oneOf`, …): the person types JSON.
    Json,
}

impl AnswerField {
    /// The field for a schema. Only the top level is looked at.
    pub fn for_schema(schema: &Value) -> AnswerField {
        let Some(obj) = schema.as_object() else {
            return AnswerField::Json;
        };
        if let Some(options) = obj.get("enum").and_then(Value::as_array) {
            if !options.is_empty() && options.iter().all(is_scalar) {
                return AnswerField::Choice {
                    options: options.clone(),
                };
            }
            return AnswerField::Json;
        }
        if let Some(c) = obj.get("const").filter(|c| is_scalar(c)) {
            return AnswerField::Choice {
                options: vec![c.clone()],
            };
        }
        let max_length = obj.get("maxLength").and_then(Value::as_u64);
        match obj.get("type").and_then(Value::as_str) {
            Some("string") if max_length.is_some_and(|m| m <= ONE_LINE_MAX) => {
                AnswerField::Line { max_length }
            }
            Some("string") => AnswerField::Text { max_length },
            Some(t @ ("number" | "integer")) => AnswerField::Number {
                integer: t == "integer",
                minimum: obj.get("minimum").and_then(Value::as_f64),
                maximum: obj.get("maximum").and_then(Value::as_f64),
            },
            Some("boolean") => AnswerField::Boolean,
            _ => AnswerField::Json,
        }
    }

    /// The JSON value of what the person typed or picked, or why it is not one.
    /// (Whether the value fits the schema is checked afterwards, against the schema.)
    pub fn parse(&self, raw: &str) -> Result<Value, String> {
        match self {
            AnswerField::Line { .. } | AnswerField::Text { .. } => {
                Ok(Value::String(raw.to_string()))
            }
            AnswerField::Number { integer, .. } => {
                let t = raw.trim();
                if *integer {
                    t.parse::<i64>()
                        .map(Value::from)
                        .map_err(|_| "must be a whole number".to_string())
                } else {
                    t.parse::<f64>()
                        .ok()
                        .filter(|n| n.is_finite())
                        .and_then(serde_json::Number::from_f64)
                        .map(|n| match n.as_f64() {
                            // 3 stays 3 (an integer), not 3.0.
                            Some(f) if f.fract() == 0.0 && f.abs() < 9e15 => Value::from(f as i64),
                            _ => Value::Number(n),
                        })
                        .ok_or_else(|| "must be a number".to_string())
                }
            }
            AnswerField::Boolean => match raw.trim() {
                "true" | "yes" | "on" => Ok(Value::Bool(true)),
                "false" | "no" | "off" | "" => Ok(Value::Bool(false)),
                _ => Err("must be yes or no".to_string()),
            },
            AnswerField::Choice { options } => options
                .iter()
                .find(|o| option_label(o) == raw)
                .cloned()
                .ok_or_else(|| "must be one of the choices".to_string()),
            AnswerField::Json => serde_json::from_str(raw)
                .map_err(|_| "must be JSON (it is checked against the schema)".to_string()),
        }
    }
}

/// How an `enum` value is shown and posted back.
pub fn option_label(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn is_scalar(v: &Value) -> bool {
    matches!(v, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn common_schemas_get_their_field() {
        let f = |s: Value| AnswerField::for_schema(&s);
        assert_eq!(
            f(json!({"type": "string", "maxLength": 80})),
            AnswerField::Line {
                max_length: Some(80)
            }
        );
        assert_eq!(
            f(json!({"type": "string"})),
            AnswerField::Text { max_length: None }
        );
        assert!(matches!(
            f(json!({"type": "integer", "minimum": 1})),
            AnswerField::Number { integer: true, minimum: Some(m), .. } if m == 1.0
        ));
        assert_eq!(f(json!({"type": "boolean"})), AnswerField::Boolean);
        assert_eq!(
            f(json!({"enum": ["a", 2]})),
            AnswerField::Choice {
                options: vec![json!("a"), json!(2)]
            }
        );
        assert_eq!(f(json!({"type": "object"})), AnswerField::Json);
        assert_eq!(f(json!(true)), AnswerField::Json);
    }

    #[test]
    fn typed_text_becomes_a_typed_value() {
        let int = AnswerField::for_schema(&json!({"type": "integer"}));
        assert_eq!(int.parse(" 42 "), Ok(json!(42)));
        assert!(int.parse("4.5").is_err());
        let num = AnswerField::for_schema(&json!({"type": "number"}));
        assert_eq!(num.parse("4.5"), Ok(json!(4.5)));
        assert_eq!(num.parse("3"), Ok(json!(3)));
        assert!(num.parse("NaN").is_err());
        assert_eq!(AnswerField::Boolean.parse("on"), Ok(json!(true)));
        assert_eq!(AnswerField::Boolean.parse(""), Ok(json!(false)));
        let choice = AnswerField::for_schema(&json!({"enum": ["low", 2]}));
        assert_eq!(choice.parse("2"), Ok(json!(2)));
        assert!(choice.parse("high").is_err());
        assert_eq!(AnswerField::Json.parse("[1]"), Ok(json!([1])));
    }
}
