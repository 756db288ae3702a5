//! `GET /api/v1/reference`: the OpenAPI document rendered as one plain HTML
//! page (no JavaScript, no external assets), readable on a phone.

use super::openapi::DOC;
use axum::http::header;
use axum::response::IntoResponse;
use serde_json::Value;
use std::collections::HashMap;
use std::fmt::Write;
use std::sync::LazyLock;

static PAGE: LazyLock<String> = LazyLock::new(|| render(&DOC));

/// This reference, as HTML
#[utoipa::path(
    get,
    path = "/api/v1/reference",
    operation_id = "reference",
    tag = "meta",
    summary = "This API reference, as HTML",
    description = "Every operation with its parameters, request body, responses and schemas, rendered from the OpenAPI document. No API key needed.",
    responses(
        (status = 200, description = "The reference page.", content_type = "text/html", body = String),
    )
)]
pub async fn page() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        PAGE.as_str(),
    )
}

const METHODS: [&str; 5] = ["get", "put", "post", "delete", "patch"];

const STYLE: &str = "\
body{font:16px/1.5 system-ui,-apple-system,'Segoe UI',sans-serif;margin:0 auto;max-width:54rem;padding:0 1rem 4rem;color:#1b1b1b;background:#fff}
h1{font-size:1.6rem;margin:1.2rem 0 .4rem}h2{font-size:1.3rem;margin-top:2.5rem;border-bottom:2px solid #ddd}
h3{font-size:1.05rem;margin:0 0 .3rem;overflow-wrap:anywhere}h4{font-size:.95rem;margin:1rem 0 .3rem}
a{color:#0b57d0}code{font:.88em ui-monospace,SFMono-Regular,Menlo,monospace;background:#f1f3f4;padding:0 .2em;border-radius:3px;overflow-wrap:anywhere}
section{border:1px solid #ddd;border-radius:8px;padding:.8rem;margin:1rem 0}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{text-align:left;vertical-align:top;border-bottom:1px solid #e3e3e3;padding:.35rem .4rem}th{font-weight:600}
.m{display:inline-block;min-width:3.2em;padding:0 .3em;margin-right:.3em;border-radius:4px;color:#fff;font:700 .8rem ui-monospace,monospace;text-align:center;text-transform:uppercase}
.get{background:#1a7f37}.post{background:#0b57d0}.put{background:#9a6700}.delete{background:#cf222e}.patch{background:#8250df}
.sum{font-weight:600;margin:.2rem 0}.muted{color:#5f6368;font-size:.9rem}ul.toc{padding-left:1.1rem}ul.toc li{margin:.2rem 0}
@media (max-width:40rem){table,tbody{display:block}tr{display:block;padding:.45rem 0;border-bottom:1px solid #e3e3e3}tr:first-child{display:none}td{display:inline;border:0;padding:0 .45em 0 0}td:last-child{display:block;padding-top:.15rem}}
@media (prefers-color-scheme:dark){body{background:#111;color:#e8e8e8}a{color:#8ab4f8}code{background:#2a2a2a}section,th,td,tr{border-color:#333}h2{border-color:#333}.muted{color:#aaa}}
";

fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Inline markdown: `code` and **bold**; everything else escaped.
fn inline(s: &str) -> String {
    let mut out = String::new();
    for (i, part) in s.split('`').enumerate() {
        if i % 2 == 1 {
            let _ = write!(out, "<code>{}</code>", esc(part));
        } else {
            for (j, text) in esc(part).split("**").enumerate() {
                if j % 2 == 1 {
                    let _ = write!(out, "<strong>{text}</strong>");
                } else {
                    out.push_str(text);
                }
            }
        }
    }
    out
}

/// Block markdown: paragraphs and `- ` lists.
fn markdown(s: &str) -> String {
    let mut out = String::new();
    for block in s.split("\n\n").map(str::trim).filter(|b| !b.is_empty()) {
        let lines: Vec<&str> = block.lines().map(str::trim).collect();
        if lines.iter().all(|l| l.starts_with("- ")) {
            out.push_str("<ul>");
            for l in lines {
                let _ = write!(out, "<li>{}</li>", inline(&l[2..]));
            }
            out.push_str("</ul>");
        } else {
            let _ = write!(out, "<p>{}</p>", inline(&lines.join(" ")));
        }
    }
    out
}

fn ref_name(r: &str) -> &str {
    r.rsplit('/').next().unwrap_or(r)
}

fn name_of(schema: &Value) -> Option<&str> {
    schema["$ref"].as_str().map(ref_name)
}

/// A schema's type in a few words, with links to named schemas.
fn type_html(s: &Value) -> String {
    if let Some(r) = s["$ref"].as_str() {
        let name = esc(ref_name(r));
        return format!("<a href=\"#schema-{name}\">{name}</a>");
    }
    for (key, sep) in [("oneOf", " | "), ("anyOf", " | "), ("allOf", " & ")] {
        if let Some(list) = s[key].as_array() {
            return list.iter().map(type_html).collect::<Vec<_>>().join(sep);
        }
    }
    let types: Vec<&str> = match &s["type"] {
        Value::String(t) => vec![t.as_str()],
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    };
    let mut parts: Vec<String> = types
        .iter()
        .map(|t| match *t {
            "array" => format!("array of {}", type_html(&s["items"])),
            t => match s["format"].as_str() {
                Some(f) => format!("{t} ({})", esc(f)),
                None => t.to_string(),
            },
        })
        .collect();
    if parts.is_empty() {
        parts.push("any".into());
    }
    let mut out = parts.join(" | ");
    if let Some(values) = s["enum"].as_array() {
        let values: Vec<String> = values
            .iter()
            .map(|v| format!("<code>{}</code>", esc(v.as_str().unwrap_or(&v.to_string()))))
            .collect();
        let _ = write!(out, ": {}", values.join(", "));
    }
    out
}

/// Limits a schema states (length, range).
fn limits(s: &Value) -> String {
    let mut out = Vec::new();
    for (key, label) in [
        ("minLength", "min length"),
        ("maxLength", "max length"),
        ("minimum", "min"),
        ("maximum", "max"),
        ("pattern", "pattern"),
    ] {
        if let Some(v) = s.get(key) {
            let v = v.as_str().map_or_else(|| v.to_string(), str::to_string);
            out.push(format!("{label} <code>{}</code>", esc(&v)));
        }
    }
    if out.is_empty() {
        String::new()
    } else {
        format!(" <span class=\"muted\">({})</span>", out.join(", "))
    }
}

struct Renderer<'a> {
    schemas: &'a Value,
    /// Each named object schema's fields in declaration order (a JSON value sorts them).
    field_order: HashMap<String, Vec<String>>,
}

impl Renderer<'_> {
    fn resolve<'v>(&'v self, s: &'v Value) -> &'v Value {
        match s["$ref"].as_str() {
            Some(r) => &self.schemas[ref_name(r)],
            None => s,
        }
    }

    /// name | type | required | description, for an object schema.
    fn properties(&self, schema: &Value) -> String {
        let original = schema;
        let schema = self.resolve(schema);
        let Some(props) = schema["properties"].as_object() else {
            return String::new();
        };
        let mut props: Vec<(&String, &Value)> = props.iter().collect();
        if let Some(order) = name_of(original).and_then(|n| self.field_order.get(n)) {
            props.sort_by_key(|(name, _)| order.iter().position(|o| o == *name));
        }
        let required: Vec<&str> = schema["required"]
            .as_array()
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let mut out = String::from(
            "<div class=\"scroll\"><table><tr><th>field</th><th>type</th><th>required</th><th>description</th></tr>",
        );
        for (name, p) in props {
            let _ = write!(
                out,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                esc(name),
                type_html(p),
                if required.contains(&name.as_str()) {
                    "required"
                } else {
                    "optional"
                },
                inline(p["description"].as_str().unwrap_or_default()),
                limits(p),
            );
        }
        out.push_str("</table></div>");
        if schema["additionalProperties"] == Value::Bool(false) {
            out.push_str("<p class=\"muted\">Other fields are refused.</p>");
        }
        out
    }

    fn operation(&self, method: &str, path: &str, op: &Value) -> String {
        let mut out = String::new();
        let id = esc(op["operationId"].as_str().unwrap_or_default());
        let _ = write!(
            out,
            "<section id=\"op-{id}\"><h3><span class=\"m {method}\">{method}</span><code>{}</code></h3><p class=\"sum\">{}</p>{}",
            esc(path),
            inline(op["summary"].as_str().unwrap_or_default()),
            markdown(op["description"].as_str().unwrap_or_default()),
        );
        let auth = if op.get("security").is_some() {
            "API key: <code>Authorization: Bearer tk_…</code> or <code>x-api-key: tk_…</code>"
        } else {
            "none"
        };
        let _ = write!(out, "<p class=\"muted\">Authentication: {auth}</p>");

        if let Some(params) = op["parameters"].as_array().filter(|p| !p.is_empty()) {
            out.push_str("<h4>Parameters</h4><div class=\"scroll\"><table><tr><th>name</th><th>in</th><th>type</th><th>required</th><th>description</th></tr>");
            for p in params {
                let _ = write!(
                    out,
                    "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td>{}{}</td></tr>",
                    esc(p["name"].as_str().unwrap_or_default()),
                    esc(p["in"].as_str().unwrap_or_default()),
                    type_html(&p["schema"]),
                    if p["required"] == Value::Bool(true) {
                        "required"
                    } else {
                        "optional"
                    },
                    inline(p["description"].as_str().unwrap_or_default()),
                    limits(self.resolve(&p["schema"])),
                );
            }
            out.push_str("</table></div>");
        }

        if let Some(body) = op.get("requestBody") {
            out.push_str("<h4>Request body</h4>");
            let required = if body["required"] == Value::Bool(true) {
                "required"
            } else {
                "optional (may be empty)"
            };
            for (ctype, content) in body["content"].as_object().into_iter().flatten() {
                let _ = write!(
                    out,
                    "<p><code>{}</code>: {}, {required}. {}</p>",
                    esc(ctype),
                    type_html(&content["schema"]),
                    inline(body["description"].as_str().unwrap_or_default()),
                );
                out.push_str(&self.properties(&content["schema"]));
            }
        }

        out.push_str("<h4>Responses</h4><div class=\"scroll\"><table><tr><th>status</th><th>body</th><th>description</th></tr>");
        for (status, res) in op["responses"].as_object().into_iter().flatten() {
            let body: Vec<String> = res["content"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(ctype, c)| {
                    format!("<code>{}</code>: {}", esc(ctype), type_html(&c["schema"]))
                })
                .collect();
            let mut description = inline(res["description"].as_str().unwrap_or_default());
            if let Some(headers) = res["headers"].as_object() {
                let names: Vec<String> = headers
                    .keys()
                    .map(|h| format!("<code>{}</code>", esc(h)))
                    .collect();
                let _ = write!(description, " Headers: {}.", names.join(", "));
            }
            let _ = write!(
                out,
                "<tr><td><strong>{}</strong></td><td>{}</td><td>{description}</td></tr>",
                esc(status),
                body.join(", "),
            );
        }
        out.push_str("</table></div></section>");
        out
    }

    fn schema(&self, name: &str, s: &Value) -> String {
        let mut out = format!(
            "<section id=\"schema-{0}\"><h3>{0}</h3>{1}",
            esc(name),
            markdown(s["description"].as_str().unwrap_or_default())
        );
        if s["properties"].is_object() {
            out.push_str(&self.properties(&serde_json::json!({
                "$ref": format!("#/components/schemas/{name}")
            })));
        } else {
            let _ = write!(out, "<p>Type: {}</p>", type_html(s));
        }
        out.push_str("</section>");
        out
    }
}

/// The whole page, from the OpenAPI document.
pub fn render(api: &utoipa::openapi::OpenApi) -> String {
    use utoipa::openapi::{schema::Schema, RefOr};
    let doc = serde_json::to_value(api).expect("the OpenAPI document serializes");
    let field_order = api
        .components
        .iter()
        .flat_map(|c| &c.schemas)
        .filter_map(|(name, s)| match s {
            RefOr::T(Schema::Object(o)) => {
                Some((name.clone(), o.properties.keys().cloned().collect()))
            }
            _ => None,
        })
        .collect();
    let r = Renderer {
        schemas: &doc["components"]["schemas"],
        field_order,
    };
    let info = &doc["info"];
    let title = esc(info["title"].as_str().unwrap_or("API"));
    let mut out = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title} reference</title><style>{STYLE}</style></head><body><h1>{title}</h1><p class=\"muted\">Version {} · OpenAPI {} · machine-readable: <a href=\"/api/v1/openapi.json\">/api/v1/openapi.json</a></p>{}",
        esc(info["version"].as_str().unwrap_or_default()),
        esc(doc["openapi"].as_str().unwrap_or_default()),
        markdown(info["description"].as_str().unwrap_or_default()),
    );

    // Operations grouped by tag, in the document's tag order.
    let mut tags: Vec<(String, String)> = doc["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|t| {
            (
                t["name"].as_str().unwrap_or_default().to_string(),
                t["description"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    let mut ops: Vec<(String, &str, &str, &Value)> = Vec::new();
    for path in api.paths.paths.keys() {
        let item = &doc["paths"][path];
        for m in METHODS {
            if let Some(op) = item.get(m) {
                let tag = op["tags"][0].as_str().unwrap_or("other").to_string();
                if !tags.iter().any(|(t, _)| *t == tag) {
                    tags.push((tag.clone(), String::new()));
                }
                ops.push((tag, m, path.as_str(), op));
            }
        }
    }

    out.push_str("<h2 id=\"contents\">Operations</h2>");
    for (tag, _) in &tags {
        let _ = write!(out, "<h4>{}</h4><ul class=\"toc\">", esc(tag));
        for (_, m, path, op) in ops.iter().filter(|(t, ..)| t == tag) {
            let _ = write!(
                out,
                "<li><a href=\"#op-{}\"><span class=\"m {m}\">{m}</span><code>{}</code></a> {}</li>",
                esc(op["operationId"].as_str().unwrap_or_default()),
                esc(path),
                inline(op["summary"].as_str().unwrap_or_default()),
            );
        }
        out.push_str("</ul>");
    }

    for (tag, description) in &tags {
        let _ = write!(
            out,
            "<h2 id=\"tag-{0}\">{0}</h2>{1}",
            esc(tag),
            markdown(description)
        );
        for (_, m, path, op) in ops.iter().filter(|(t, ..)| t == tag) {
            out.push_str(&r.operation(m, path, op));
        }
    }

    out.push_str("<h2 id=\"schemas\">Schemas</h2>");
    for (name, s) in r.schemas.as_object().into_iter().flatten() {
        out.push_str(&r.schema(name, s));
    }
    out.push_str(
        "<p class=\"muted\"><a href=\"#contents\">Back to the operations</a></p></body></html>",
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_shows_every_operation_with_its_parts() {
        let doc = serde_json::to_value(&*DOC).unwrap();
        let html = render(&DOC);
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("name=\"viewport\""));
        assert!(!html.contains("<script"), "no JavaScript");
        assert!(!html.contains("src=\"http"), "no external assets");
        for (path, item) in doc["paths"].as_object().unwrap() {
            for m in METHODS {
                if let Some(op) = item.get(m) {
                    let id = op["operationId"].as_str().unwrap();
                    assert!(html.contains(&format!("id=\"op-{id}\"")), "{m} {path}");
                    assert!(html.contains(&format!("<code>{}</code>", esc(path))));
                }
            }
        }
        // The create-handoff body names its schema and fields, required or not.
        let start = html.find("id=\"op-create_handoff\"").unwrap();
        let section = &html[start..start + html[start..].find("</section>").unwrap()];
        assert!(section.contains("href=\"#schema-CreateHandoff\""));
        // One body for two kinds: only `kind` is required by the schema; each
        // kind's own fields are checked by the handler (422 naming them).
        assert!(section.contains("<code>packet</code></td>"));
        assert!(section.contains("href=\"#schema-Packet\""));
        assert!(section.contains("href=\"#schema-CaptureBody\""));
        let at = |needle: &str| section.find(needle).unwrap();
        assert!(
            at("<code>kind</code>") < at("<code>conversation_id</code>"),
            "fields in declaration order"
        );
        assert!(section.contains("<strong>201</strong>"));
        assert!(section.contains("<strong>422</strong>"));
        assert!(section.contains("Scope: <code>handoffs:write</code>"));
        // Every schema has its own section for nested types.
        for name in doc["components"]["schemas"].as_object().unwrap().keys() {
            assert!(html.contains(&format!("id=\"schema-{name}\"")), "{name}");
        }
    }

    #[test]
    fn markdown_is_escaped_before_it_is_formatted() {
        assert_eq!(
            inline("a `<b>` **c** <d>"),
            "a <code>&lt;b&gt;</code> <strong>c</strong> &lt;d&gt;"
        );
        assert_eq!(
            markdown("x\ny\n\n- a\n- b"),
            "<p>x y</p><ul><li>a</li><li>b</li></ul>"
        );
    }
}
