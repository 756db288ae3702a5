//! JSON in the handoff page's islands without a JSON parser in the WASM.
//!
//! The islands read a few small JSON documents: their server functions'
//! answers, the live streams' events, the chat outbox kept in localStorage.
//! serde_json, with the serde code it instantiates for each type, was about a
//! seventh of the page's main WASM module (docs/performance.md). In the
//! browser a `Json` is what the browser's own `JSON.parse` returns, read field
//! by field; on the server (where the islands never call the network) it is
//! serde_json's `Value`, so the same readers run in the unit tests.

// The readers run in the browser (and in the unit tests), not in the server.
#![cfg_attr(not(feature = "hydrate"), allow(dead_code))]

use super::types::{Line, SnippetRow};
use crate::error::{AppError, ErrorCode, FieldError};

#[cfg(feature = "hydrate")]
type Raw = wasm_bindgen::JsValue;
#[cfg(not(feature = "hydrate"))]
type Raw = serde_json::Value;

/// One parsed JSON value.
pub struct Json(Raw);

impl Json {
    /// Parses a document; `None` when it is not JSON.
    pub fn parse(text: &str) -> Option<Json> {
        #[cfg(feature = "hydrate")]
        {
            js_sys::JSON::parse(text).ok().map(Json)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            serde_json::from_str(text).ok().map(Json)
        }
    }

    pub fn is_null(&self) -> bool {
        #[cfg(feature = "hydrate")]
        {
            self.0.is_null() || self.0.is_undefined()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            self.0.is_null()
        }
    }

    /// An object's field; `None` when this is no object or the field is missing or null.
    pub fn get(&self, key: &str) -> Option<Json> {
        #[cfg(feature = "hydrate")]
        let field = {
            if !self.0.is_object() || js_sys::Array::is_array(&self.0) {
                return None;
            }
            js_sys::Reflect::get(&self.0, &key.into()).ok().map(Json)
        };
        #[cfg(not(feature = "hydrate"))]
        let field = self.0.get(key).cloned().map(Json);
        field.filter(|f| !f.is_null())
    }

    pub fn string(&self) -> Option<String> {
        #[cfg(feature = "hydrate")]
        {
            self.0.as_string()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            self.0.as_str().map(str::to_string)
        }
    }

    /// A whole number (JSON has only doubles in the browser: exact up to 2^53).
    pub fn int(&self) -> Option<i64> {
        #[cfg(feature = "hydrate")]
        {
            const EXACT: f64 = 9_007_199_254_740_992.0;
            let n = self.0.as_f64()?;
            (n.fract() == 0.0 && n.abs() <= EXACT).then_some(n as i64)
        }
        #[cfg(not(feature = "hydrate"))]
        {
            self.0.as_i64()
        }
    }

    /// An array's items; `None` when this is no array.
    pub fn items(&self) -> Option<Vec<Json>> {
        #[cfg(feature = "hydrate")]
        {
            js_sys::Array::is_array(&self.0)
                .then(|| js_sys::Array::from(&self.0).iter().map(Json).collect())
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Some(self.0.as_array()?.iter().cloned().map(Json).collect())
        }
    }

    /// An object's text field.
    pub fn str_of(&self, key: &str) -> Option<String> {
        self.get(key)?.string()
    }

    /// An object of text fields (`None` is written as null).
    pub fn object(fields: &[(&str, Option<&str>)]) -> Json {
        #[cfg(feature = "hydrate")]
        {
            let o = js_sys::Object::new();
            for (k, v) in fields {
                let v = v.map_or(Raw::NULL, Raw::from);
                let _ = js_sys::Reflect::set(&o, &(*k).into(), &v);
            }
            Json(o.into())
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let map = fields
                .iter()
                .map(|(k, v)| (k.to_string(), v.map_or(Raw::Null, Raw::from)))
                .collect();
            Json(Raw::Object(map))
        }
    }

    pub fn array(items: Vec<Json>) -> Json {
        #[cfg(feature = "hydrate")]
        {
            Json(
                items
                    .into_iter()
                    .map(|j| j.0)
                    .collect::<js_sys::Array>()
                    .into(),
            )
        }
        #[cfg(not(feature = "hydrate"))]
        {
            Json(Raw::Array(items.into_iter().map(|j| j.0).collect()))
        }
    }

    /// The document as text.
    pub fn text(&self) -> String {
        #[cfg(feature = "hydrate")]
        {
            js_sys::JSON::stringify(&self.0)
                .ok()
                .and_then(|s| s.as_string())
                .unwrap_or_default()
        }
        #[cfg(not(feature = "hydrate"))]
        {
            self.0.to_string()
        }
    }
}

/// A value the islands read from JSON; `None` when the JSON does not say it.
pub trait FromJson: Sized {
    fn from_json(j: &Json) -> Option<Self>;

    fn from_text(text: &str) -> Option<Self> {
        Self::from_json(&Json::parse(text)?)
    }
}

impl FromJson for String {
    fn from_json(j: &Json) -> Option<Self> {
        j.string()
    }
}

impl FromJson for i64 {
    fn from_json(j: &Json) -> Option<Self> {
        j.int()
    }
}

impl<T: FromJson> FromJson for Option<T> {
    fn from_json(j: &Json) -> Option<Self> {
        if j.is_null() {
            Some(None)
        } else {
            T::from_json(j).map(Some)
        }
    }
}

impl<T: FromJson> FromJson for Vec<T> {
    fn from_json(j: &Json) -> Option<Self> {
        j.items()?.iter().map(T::from_json).collect()
    }
}

impl<A: FromJson, B: FromJson> FromJson for (A, B) {
    fn from_json(j: &Json) -> Option<Self> {
        match j.items()?.as_slice() {
            [a, b] => Some((A::from_json(a)?, B::from_json(b)?)),
            _ => None,
        }
    }
}

impl FromJson for Line {
    fn from_json(j: &Json) -> Option<Self> {
        Some(Line {
            seq: j.get("seq")?.int()?,
            author: j.str_of("author")?,
            content: j.str_of("content")?,
            created_at: j.str_of("created_at").unwrap_or_default(),
        })
    }
}

impl FromJson for SnippetRow {
    fn from_json(j: &Json) -> Option<Self> {
        Some(SnippetRow {
            id: j.str_of("id")?,
            shortcut: j.str_of("shortcut")?,
            body: j.str_of("body")?,
        })
    }
}

/// The error envelope `{"error": {…}}` or a bare error object (what a server
/// function answers).
impl FromJson for AppError {
    fn from_json(j: &Json) -> Option<Self> {
        let bare = j.get("error").unwrap_or(Json(j.0.clone()));
        let code = ErrorCode::parse(&bare.str_of("code")?)?;
        let fields = bare
            .get("fields")
            .and_then(|f| f.items())
            .unwrap_or_default()
            .iter()
            .filter_map(|f| {
                Some(FieldError {
                    field: f.str_of("field")?,
                    message: f.str_of("message")?,
                })
            })
            .collect();
        let mut e = AppError::new(code, bare.str_of("message")?);
        e.fields = fields;
        e.reason = bare.str_of("reason");
        Some(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_and_lists_read_as_the_server_writes_them() {
        let line = Line {
            seq: 7,
            author: "customer".into(),
            content: "<b>hi</b> \"there\"".into(),
            created_at: "2026-12-03T10:00:00Z".into(),
        };
        let text = serde_json::to_string(&vec![line.clone()]).unwrap();
        assert_eq!(Vec::<Line>::from_text(&text), Some(vec![line]));
        let quorum = serde_json::to_string(&Some(("2 of 3 approved", vec!["Ann", "Bob"]))).unwrap();
        assert_eq!(
            Option::<(String, Vec<String>)>::from_text(&quorum),
            Some(Some((
                "2 of 3 approved".to_string(),
                vec!["Ann".to_string(), "Bob".to_string()]
            )))
        );
        assert_eq!(
            Option::<(String, Vec<String>)>::from_text("null"),
            Some(None)
        );
        // A missing field is no value, not an empty one.
        assert_eq!(Line::from_text(r#"{"seq": 1, "author": "bot"}"#), None);
        assert_eq!(String::from_text("42"), None);
        assert_eq!(i64::from_text("42"), Some(42));
    }

    #[test]
    fn a_refusal_reads_as_the_error_it_was() {
        let sent = AppError::invalid_field("note", "required to deny").with_reason("note_required");
        let text = serde_json::to_string(&sent).unwrap();
        let read = AppError::from_text(&text).expect("an error");
        assert_eq!(read.code, sent.code);
        assert_eq!(read.message, sent.message);
        assert_eq!(read.fields, sent.fields);
        assert_eq!(read.reason.as_deref(), Some("note_required"));
        let envelope = format!(r#"{{"error": {text}}}"#);
        assert_eq!(
            AppError::from_text(&envelope).map(|e| e.message),
            Some(sent.message)
        );
        assert!(AppError::from_text(r#"{"code": "teapot", "message": "x"}"#).is_none());
    }

    #[test]
    fn every_error_code_reads_back_from_its_wire_name() {
        use ErrorCode::*;
        for code in [
            Unauthorized,
            Forbidden,
            RateLimited,
            BadRequest,
            NotFound,
            Conflict,
            InternalError,
        ] {
            let wire = serde_json::to_value(code).unwrap();
            assert_eq!(wire.as_str(), Some(code.as_str()));
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
        }
    }

    #[test]
    fn objects_written_here_read_back() {
        let doc = Json::array(vec![Json::object(&[("a", Some("x\"y")), ("b", None)])]);
        let back = Json::parse(&doc.text()).unwrap().items().unwrap();
        assert_eq!(back[0].str_of("a").as_deref(), Some("x\"y"));
        assert!(back[0].get("b").is_none());
    }
}
