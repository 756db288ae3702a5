//! MCP (issue 14 §1) and typed answers (§3): `/mcp` with API keys, driven by
//! the official MCP Python SDK (`tests/it/mcp_client.py`, from the venv that
//! `scripts/install.sh test` makes), the operator deciding on the page's
//! server function; and typed answers over REST and on the page.

use crate::common::{error_code, TestApp};
use serde_json::{json, Value};
use std::path::PathBuf;
use tokio::io::{AsyncBufReadExt, BufReader};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The venv's Python with the `mcp` package (`scripts/install.sh test`).
fn python() -> PathBuf {
    let p = root().join(".tools/venv/bin/python");
    assert!(
        p.exists(),
        "{} is missing: run `scripts/install.sh test` (it installs the MCP Python SDK)",
        p.display()
    );
    p
}

/// The operator's decision on the page's server function (`/fn/decide`).
async fn decide_on_page(t: &TestApp, cookie: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = t
        .client
        .post(format!("{}/fn/decide", t.base))
        .header("cookie", cookie)
        .header("accept", "application/json")
        .form(form)
        .send()
        .await
        .unwrap();
    let status = res.status().as_u16();
    let text = res.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn mcp_post(t: &TestApp, auth: Option<&str>, body: Value) -> reqwest::Response {
    let mut req = t
        .client
        .post(format!("{}/mcp", t.base))
        .header("accept", "application/json, text/event-stream")
        .json(&body);
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn the_official_python_client_requests_approvals_and_asks_typed_questions() {
    let t = TestApp::spawn().await;
    let agent = t
        .key_in(&t.org_id, &["approvals:write", "handoffs:write", "read"])
        .await;
    let read_only = t.key_in(&t.org_id, &["read"]).await;
    let (_, cookie) = t.signed_in("ana@acme.test", "Ana", &[]).await;
    let transcript = std::env::var("TAPIN_MCP_TRANSCRIPT")
        .map(PathBuf::from)
        .unwrap_or_else(|_| t.dir.path().join("transcript.md"));
    let mut child = tokio::process::Command::new(python())
        .arg(root().join("tests/it/mcp_client.py"))
        .args([&t.base, &agent, &read_only, env!("CARGO_BIN_EXE_tapin")])
        .arg(&transcript)
        .stdout(std::process::Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .expect("python starts");
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut acted = Vec::new();
    let run = async {
        while let Some(line) = lines.next_line().await.unwrap() {
            let mut words = line.split_whitespace();
            if words.next() != Some("WAIT") {
                continue;
            }
            let (what, id) = (words.next().unwrap(), words.next().unwrap().to_string());
            match what {
                "approve" => {
                    let (s, b) =
                        decide_on_page(&t, &cookie, &[("id", &id), ("approve", "true")]).await;
                    assert_eq!(s, 200, "{b}");
                }
                "answer" => {
                    // Out of the schema's range: refused, naming `answer`; nothing is decided.
                    let (s, b) = decide_on_page(
                        &t,
                        &cookie,
                        &[("id", &id), ("approve", "true"), ("answer", "9")],
                    )
                    .await;
                    assert_eq!(s, 422, "{b}");
                    assert_eq!(b["error"]["fields"][0]["field"], "answer", "{b}");
                    let (s, b) = decide_on_page(
                        &t,
                        &cookie,
                        &[("id", &id), ("approve", "true"), ("answer", "3")],
                    )
                    .await;
                    assert_eq!(s, 200, "{b}");
                }
                "answer_yes" => {
                    let (s, b) = decide_on_page(
                        &t,
                        &cookie,
                        &[("id", &id), ("approve", "true"), ("answer", "true")],
                    )
                    .await;
                    assert_eq!(s, 200, "{b}");
                }
                other => panic!("unknown request from the client: {other}"),
            }
            acted.push(what.to_string());
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(120), run)
        .await
        .expect("the client finishes within 2 minutes");
    let status = child.wait().await.unwrap();
    assert!(status.success(), "the MCP client failed: {status}");
    assert_eq!(acted, ["approve", "answer", "approve", "answer_yes"]);
    let text = std::fs::read_to_string(&transcript).unwrap();
    assert!(text.contains("wait_for_decision") && text.contains("\"approved\""));
}

#[tokio::test]
async fn mcp_without_a_valid_key_is_a_401_envelope() {
    let t = TestApp::spawn().await;
    let init = json!({"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}});
    for auth in [None, Some("Bearer tk_nope"), Some("Basic dXNlcjpwYXNz")] {
        let res = mcp_post(&t, auth, init.clone()).await;
        assert_eq!(res.status(), 401, "{auth:?}");
        assert!(res.headers().contains_key("www-authenticate"));
        let body: Value = res.json().await.unwrap();
        assert_eq!(error_code(&body), "unauthorized", "{body}");
    }
    // A revoked key too.
    let key = t.key_in(&t.org_id, &["read"]).await;
    tapin::service::keys::revoke(&t.app, &t.org_id, &key[..12])
        .await
        .unwrap();
    let res = mcp_post(&t, Some(&format!("Bearer {key}")), init).await;
    assert_eq!(res.status(), 401);
}

#[tokio::test]
async fn a_typed_answer_is_validated_audited_and_shown() {
    let t = TestApp::spawn().await;
    // A schema that is not one is refused at creation, naming the field.
    let cid = t.conversation().await;
    let (s, e) = t
        .post(
            "/api/v1/approvals",
            &t.key,
            json!({"conversation_id": cid, "subject_kind": "question", "subject_ref": "Which plan?", "response_schema": {"type": "colour"}}),
        )
        .await;
    assert_eq!(s, 422, "{e}");
    assert_eq!(e["error"]["fields"][0]["field"], "response_schema");
    let (s, q) = t
        .post(
            "/api/v1/approvals",
            &t.key,
            json!({
                "conversation_id": cid,
                "subject_kind": "question",
                "subject_ref": "Which plan should the customer move to?",
                "response_schema": {"enum": ["basic", "pro"], "description": "The plan to switch to"},
            }),
        )
        .await;
    assert_eq!(s, 201, "{q}");
    assert_eq!(q["status"], "pending");
    let id = q["id"].as_str().unwrap();

    // The inbox lists it as a question; the page shows a choice for the answer.
    let (_, cookie) = t.signed_in("ana@acme.test", "Ana", &[]).await;
    let html = |path: String| {
        let (t, cookie) = (&t, &cookie);
        async move {
            let res = t
                .client
                .get(format!("{}{path}", t.base))
                .header("cookie", cookie)
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let inbox = html("/inbox".into()).await;
    assert!(inbox.contains("Question: Which plan should the customer move to?"));
    let page = html(format!("/m/{id}")).await;
    assert!(page.contains("data-testid=\"answer-field\""), "{page}");
    assert!(page.contains("<option value=\"pro\">pro</option>"));
    assert!(page.contains("The plan to switch to"));

    // Over REST: no answer, a wrong one, or one with a deny are 422 naming `answer`.
    let decider = t.key_in(&t.org_id, &["approvals:decide"]).await;
    let path = format!("/api/v1/approvals/{id}/decide");
    for body in [
        json!({"decision": "approve"}),
        json!({"decision": "approve", "answer": "enterprise"}),
        json!({"decision": "deny", "note": "n/a", "answer": "pro"}),
    ] {
        let (s, e) = t.post(&path, &decider, body.clone()).await;
        assert_eq!(s, 422, "{body}: {e}");
        assert_eq!(e["error"]["fields"][0]["field"], "answer", "{e}");
    }
    let (s, d) = t
        .post(
            &path,
            &decider,
            json!({"decision": "approve", "answer": "pro"}),
        )
        .await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["answer"], "pro");
    assert_eq!(d["status"], "approved");

    // The decision event records the answer's digest, and the chain verifies.
    let (_, events) = t
        .get(&format!("/api/v1/handoffs/{id}/events"), &t.key)
        .await;
    let decide = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "decide")
        .unwrap_or_else(|| panic!("a decide event: {events}"));
    let digest = &decide["data"]["content_sha256"]["answer"];
    assert_eq!(
        digest.as_str(),
        Some(tapin::domain::audit::answer_digest(&json!("pro")).as_str()),
        "{decide}"
    );
    let verified = tapin::service::audit::verify(&t.app, None, None)
        .await
        .unwrap();
    assert!(verified.iter().all(|v| v.result.is_ok()));
    // Altering the stored answer afterwards breaks the chain.
    t.db_exec(&format!(
        "UPDATE approvals SET answer = '\"basic\"' WHERE handoff_id = '{id}'"
    ))
    .await;
    let verified = tapin::service::audit::verify(&t.app, None, None)
        .await
        .unwrap();
    assert!(verified.iter().any(|v| v.result.is_err()));

    // The export carries the decision event like any other approval's.
    let res = t
        .client
        .get(format!("{}/api/v1/audit/export.jsonl", t.base))
        .header("x-api-key", &t.key)
        .send()
        .await
        .unwrap();
    let export = res.text().await.unwrap();
    assert!(export
        .lines()
        .any(|l| l.contains(id) && l.contains("\"answered\":true")));
}

#[tokio::test]
async fn a_policy_never_answers_a_question() {
    let t = TestApp::spawn().await;
    let (s, b) = t
        .put(
            "/api/v1/policies",
            json!({"policies": [{"name": "approve everything", "condition": "kind == 'approval'", "actions": {"auto_resolve": "approve"}}]}),
        )
        .await;
    assert_eq!(s, 200, "{b}");
    let (_, a) = t.approval(json!({"approver_role": null})).await;
    assert_eq!(a["status"], "approved", "a plain approval is auto-approved");
    let cid = t.conversation().await;
    let (s, q) = t
        .post(
            "/api/v1/approvals",
            &t.key,
            json!({"conversation_id": cid, "subject_kind": "question", "subject_ref": "How many?"}),
        )
        .await;
    assert_eq!(s, 201, "{q}");
    assert_eq!(q["status"], "pending", "{q}");
    assert_eq!(q["response_schema"]["type"], "string");
}
