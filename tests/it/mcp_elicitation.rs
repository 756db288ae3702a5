//! URL-mode elicitation on `/mcp` (issue 14 §1): a client of the 2026-07-28
//! protocol that declares `elicitation.url` gets, for `request_approval` and
//! `ask_human`, an `input_required` answer whose one input request is a
//! URL-mode `elicitation/create` pointing at the approval's page; the retry
//! with tapin's `requestState` returns its status without creating another.
//! Other clients get the status at once, as before. Raw JSON-RPC here; the
//! official Python SDK drives the same flow in `tests/it/mcp.rs`.

use crate::common::TestApp;
use serde_json::{json, Value};

const MODERN: &str = "2026-07-28";

/// One JSON-RPC request over Streamable HTTP; the JSON-RPC answer (from JSON
/// or the last SSE `data:` line).
async fn rpc(t: &TestApp, key: &str, version: &str, body: Value) -> Value {
    let res = t
        .client
        .post(format!("{}/mcp", t.base))
        .header("accept", "application/json, text/event-stream")
        .header("authorization", format!("Bearer {key}"))
        .header("mcp-protocol-version", version)
        // 2026-07-28 repeats the method and the tool's name in headers.
        .header("mcp-method", body["method"].as_str().unwrap())
        .header(
            "mcp-name",
            body["params"]["name"].as_str().unwrap_or_default(),
        )
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = res.status();
    let text = res.text().await.unwrap();
    assert!(status.is_success(), "{status}: {text}");
    let json = text
        .lines()
        .filter_map(|l| l.strip_prefix("data:"))
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or(text.trim());
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}: {text}"))
}

fn meta(url_mode: bool) -> Value {
    let elicitation = if url_mode {
        json!({"form": {}, "url": {}})
    } else {
        json!({"form": {}})
    };
    json!({
        "io.modelcontextprotocol/protocolVersion": MODERN,
        "io.modelcontextprotocol/clientInfo": {"name": "raw-test", "version": "1"},
        "io.modelcontextprotocol/clientCapabilities": {"elicitation": elicitation},
    })
}

fn call(id: i64, tool: &str, args: Value, meta: Value, retry: Option<(&str, Value)>) -> Value {
    let mut params = json!({"name": tool, "arguments": args, "_meta": meta});
    if let Some((state, responses)) = retry {
        params["requestState"] = json!(state);
        params["inputResponses"] = responses;
    }
    json!({"jsonrpc": "2.0", "id": id, "method": "tools/call", "params": params})
}

async fn approvals(t: &TestApp) -> usize {
    let (_, list) = t.get("/api/v1/approvals", &t.key).await;
    list["data"].as_array().unwrap().len()
}

#[tokio::test]
async fn a_client_that_opens_urls_is_sent_to_the_approvals_page_and_its_retry_creates_nothing() {
    let t = TestApp::spawn().await;
    let key = t.key_in(&t.org_id, &["approvals:write", "read"]).await;
    let args = json!({"subject": "refund.create", "payload": {"amount": 120}});
    let first = rpc(
        &t,
        &key,
        MODERN,
        call(1, "request_approval", args.clone(), meta(true), None),
    )
    .await;
    let result = &first["result"];
    assert_eq!(result["resultType"], "input_required", "{first}");
    let request = &result["inputRequests"]["tapin_page"];
    assert_eq!(request["method"], "elicitation/create", "{first}");
    let params = &request["params"];
    assert_eq!(params["mode"], "url");
    let id = params["elicitationId"].as_str().unwrap().to_string();
    assert_eq!(params["url"], json!(format!("{}/m/{id}", t.base)));
    assert!(
        !params["url"].as_str().unwrap().contains("?t="),
        "no sign-in token in a URL the model sees"
    );
    assert!(params["message"]
        .as_str()
        .unwrap()
        .contains("refund.create"));
    // The page asks a browser without a session to sign in, and comes back to it.
    let page = t
        .client
        .get(params["url"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(&format!(r#"href="/login?next=/m/{id}""#)),
        "{page}"
    );
    let state = result["requestState"].as_str().unwrap().to_string();
    assert_eq!(approvals(&t).await, 1, "created once, on the first call");

    // The person accepted; the client retries with the response and the state.
    let responses = json!({"tapin_page": {"action": "accept"}});
    let retry = rpc(
        &t,
        &key,
        MODERN,
        call(
            2,
            "request_approval",
            args.clone(),
            meta(true),
            Some((&state, responses.clone())),
        ),
    )
    .await;
    let status = &retry["result"]["structuredContent"];
    assert_eq!(status["id"], json!(id), "{retry}");
    assert_eq!(status["status"], "pending");
    assert_eq!(approvals(&t).await, 1, "the retry created nothing");

    // A state tapin did not give (or gave another key) is refused.
    let other = t.key_in(&t.org_id, &["approvals:write", "read"]).await;
    for (k, s) in [(&key, format!("{id}.00")), (&other, state.clone())] {
        let bad = rpc(
            &t,
            k,
            MODERN,
            call(
                3,
                "request_approval",
                args.clone(),
                meta(true),
                Some((&s, responses.clone())),
            ),
        )
        .await;
        assert_eq!(bad["result"]["isError"], true, "{bad}");
        assert!(bad["result"]["content"][0]["text"]
            .as_str()
            .unwrap()
            .contains("requestState"));
    }
    assert_eq!(approvals(&t).await, 1);

    // ask_human the same way.
    let q = rpc(
        &t,
        &key,
        MODERN,
        call(
            4,
            "ask_human",
            json!({"question": "Which plan?", "response_schema": {"enum": ["basic", "pro"]}}),
            meta(true),
            None,
        ),
    )
    .await;
    assert_eq!(q["result"]["resultType"], "input_required", "{q}");
    assert_eq!(
        q["result"]["inputRequests"]["tapin_page"]["params"]["mode"],
        "url"
    );
}

#[tokio::test]
async fn clients_without_url_mode_or_of_the_2025_protocols_get_the_status_at_once() {
    let t = TestApp::spawn().await;
    let key = t.key_in(&t.org_id, &["approvals:write", "read"]).await;
    let args = json!({"subject": "refund.create"});
    // 2026-07-28 with form mode only.
    let form_only = rpc(
        &t,
        &key,
        MODERN,
        call(1, "request_approval", args.clone(), meta(false), None),
    )
    .await;
    assert_eq!(
        form_only["result"]["structuredContent"]["status"], "pending",
        "{form_only}"
    );
    assert!(form_only["result"].get("inputRequests").is_none());
    // The 2025 protocol (stateless here, so no server-to-client request): the status.
    let legacy = rpc(
        &t,
        &key,
        "2025-11-25",
        json!({"jsonrpc": "2.0", "id": 2, "method": "tools/call",
               "params": {"name": "request_approval", "arguments": args}}),
    )
    .await;
    assert_eq!(
        legacy["result"]["structuredContent"]["status"], "pending",
        "{legacy}"
    );
    assert_eq!(approvals(&t).await, 2);
}
