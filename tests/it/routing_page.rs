//! Routing without the API (issue 15): escalation chains and on-call
//! rotations (with overrides) created, edited and deleted through
//! `/admin/routing`'s forms, and the organization's time zone, which policy
//! conditions, rotations and the pages' times follow.

use crate::common::{error_code, takeover_body, TestApp};
use serde_json::{json, Value};

async fn page(t: &TestApp, path: &str, cookie: &str) -> (u16, String) {
    let res = t
        .client
        .get(format!("{}{path}", t.base))
        .header("cookie", cookie)
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Posts a form to a server function as the page's forms do (field names
/// like `steps[0][targets][]` included).
async fn call(t: &TestApp, name: &str, cookie: &str, form: &[(&str, &str)]) -> (u16, Value) {
    let res = t
        .client
        .post(format!("{}/fn/{name}", t.base))
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

fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"]
        .as_array()
        .unwrap_or(&vec![])
        .iter()
        .map(|f| f["field"].as_str().unwrap().to_string())
        .collect()
}

async fn operator(t: &TestApp, email: &str, name: &str, roles: &[&str]) -> String {
    let roles = roles.iter().map(|r| r.to_string()).collect();
    tapin::service::orgs::create_operator(&t.app, &t.org_id, email, name, roles)
        .await
        .unwrap()
        .id
}

async fn only(t: &TestApp, path: &str) -> Value {
    let (s, list) = t.get(path, &t.key).await;
    assert_eq!(s, 200, "{list}");
    let list = list["data"].as_array().cloned().unwrap_or_else(|| {
        list.as_array()
            .cloned()
            .expect("a list, bare or under `data`")
    });
    assert_eq!(list.len(), 1, "{list:?}");
    list[0].clone()
}

async fn on_call(t: &TestApp, rid: &str, at: &str) -> Value {
    let (s, body) = t
        .get(&format!("/api/v1/rotations/{rid}/on-call?at={at}"), &t.key)
        .await;
    assert_eq!(s, 200, "{body}");
    body["operator_id"].clone()
}

/// What the policies do with a takeover created at `at`.
async fn policy_test(t: &TestApp, at: &str) -> Value {
    let (s, r) = t
        .post(
            "/api/v1/policies/test",
            &t.key,
            json!({"kind": "takeover", "at": at}),
        )
        .await;
    assert_eq!(s, 200, "{r}");
    r
}

#[tokio::test]
async fn chains_are_created_edited_and_deleted_on_the_routing_page() {
    let t = TestApp::spawn().await;
    let (_, admin) = t.signed_in("ann@acme.test", "Ann Admin", &["admin"]).await;
    let (_, support) = t
        .signed_in("bo@acme.test", "Bo Support", &["support"])
        .await;
    let cy = operator(&t, "cy@acme.test", "Cy Lead", &["lead"]).await;

    // Only admins.
    let form = [
        ("id", ""),
        ("name", "Support ladder"),
        ("steps[0][wait_minutes]", "5"),
        ("steps[0][targets][]", "role:support"),
    ];
    let (s, _) = call(&t, "routing_save_chain", &support, &form).await;
    assert_eq!(s, 403);

    // Problems name the form's fields: the second step row (the first is
    // left blank) has no wait, the third names an operator of nobody.
    let stranger = "operator:00000000-0000-0000-0000-000000000000".to_string();
    let (s, body) = call(
        &t,
        "routing_save_chain",
        &admin,
        &[
            ("id", ""),
            ("name", "Support ladder"),
            ("steps[0][wait_minutes]", ""),
            ("steps[1][wait_minutes]", ""),
            ("steps[1][targets][]", "role:support"),
            ("steps[2][wait_minutes]", "10"),
            ("steps[2][targets][]", stranger.as_str()),
        ],
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields(&body), ["steps[1].wait_minutes"], "{body}");
    let (s, body) = call(
        &t,
        "routing_save_chain",
        &admin,
        &[
            ("id", ""),
            ("name", "Support ladder"),
            ("steps[0][wait_minutes]", ""),
            ("steps[1][wait_minutes]", "5"),
            ("steps[1][targets][]", "role:support"),
            ("steps[2][wait_minutes]", "99999"),
            ("steps[2][targets][]", stranger.as_str()),
        ],
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(error_code(&body), "bad_request");
    assert_eq!(
        fields(&body),
        ["steps[2].wait_minutes", "steps[2].targets"],
        "{body}"
    );
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("steps[2].wait_minutes: minutes from 1 to 10080"),
        "the message names the field: {body}"
    );
    let (s, body) = call(&t, "routing_save_chain", &admin, &[("name", "Empty")]).await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields(&body), ["steps"]);

    // Created: a step per kind of target.
    let cy_target = format!("operator:{cy}");
    let (s, body) = call(
        &t,
        "routing_save_chain",
        &admin,
        &[
            ("id", ""),
            ("name", "Support ladder"),
            ("repeat", "1"),
            ("steps[0][wait_minutes]", "5"),
            ("steps[0][targets][]", "role:support"),
            ("steps[1][wait_minutes]", "10"),
            ("steps[1][targets][]", cy_target.as_str()),
            ("steps[1][targets][]", "everyone"),
            ("steps[2][wait_minutes]", ""),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let chain = only(&t, "/api/v1/escalation-chains").await;
    let cid = chain["id"].as_str().unwrap().to_string();
    assert_eq!(chain["repeat"], 1);
    assert_eq!(
        chain["steps"],
        json!([
            {"targets": [{"role": "support"}], "wait_seconds": 300},
            {"targets": [{"operator": cy}, "everyone"], "wait_seconds": 600},
        ])
    );
    // The page names people, with ids on hover only.
    let (_, html) = page(&t, "/admin/routing", &admin).await;
    assert!(
        html.contains(&format!(r#"<span title="{cy}">Cy Lead</span>"#)),
        "{html}"
    );
    assert!(html.contains("everyone with role support"));
    assert!(html.contains("Edit Support ladder") && html.contains("Delete Support ladder"));
    assert!(
        html.contains(">Add a step</button>") && html.contains(">Add a person</button>"),
        "the rows' buttons render as buttons"
    );

    // Edited: renamed, one step, no repeat.
    let (s, body) = call(
        &t,
        "routing_save_chain",
        &admin,
        &[
            ("id", cid.as_str()),
            ("name", "Leads only"),
            ("repeat", "0"),
            ("steps[0][wait_minutes]", "2.5"),
            ("steps[0][targets][]", "role:lead"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let chain = only(&t, "/api/v1/escalation-chains").await;
    assert_eq!(chain["id"], json!(cid), "the same chain, edited");
    assert_eq!(chain["name"], "Leads only");
    assert_eq!(
        chain["steps"],
        json!([{"targets": [{"role": "lead"}], "wait_seconds": 150}])
    );

    // Deleting a chain a policy routes to is refused and says which.
    let (s, _) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Leads", "condition": "true", "actions": {"route": cid}}]}),
        )
        .await;
    assert_eq!(s, 200);
    let (s, body) = call(&t, "routing_delete_chain", &admin, &[("id", cid.as_str())]).await;
    assert_eq!(s, 409, "{body}");
    assert_eq!(body["error"]["reason"], "chain_in_use");
    assert!(body["error"]["message"].as_str().unwrap().contains("Leads"));
    let (s, _) = t
        .send_json("PUT", "/api/v1/policies", json!({"policies": []}))
        .await;
    assert_eq!(s, 200);
    let (s, body) = call(&t, "routing_delete_chain", &admin, &[("id", cid.as_str())]).await;
    assert_eq!(s, 200, "{body}");
    let (_, list) = t.get("/api/v1/escalation-chains", &t.key).await;
    assert!(list.to_string().contains("[]"), "{list}");
    let (s, _) = call(&t, "routing_delete_chain", &admin, &[("id", cid.as_str())]).await;
    assert_eq!(s, 404);
}

#[tokio::test]
async fn rotations_with_overrides_are_edited_in_the_organizations_time_zone() {
    let t = TestApp::spawn().await;
    let (ann, admin) = t.signed_in("ann@acme.test", "Ann Admin", &["admin"]).await;
    let bob = operator(&t, "bob@acme.test", "Bob", &[]).await;
    let cy = operator(&t, "cy@acme.test", "Cy", &[]).await;

    // An unknown zone is refused by name; a known one in any case is stored canonically.
    let (s, body) = call(
        &t,
        "routing_save_time_zone",
        &admin,
        &[("time_zone", "Mars/Olympus")],
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields(&body), ["time_zone"]);
    let (s, body) = call(
        &t,
        "routing_save_time_zone",
        &admin,
        &[("time_zone", "europe/berlin")],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (_, settings) = t.get("/api/v1/routing/settings", &t.key).await;
    assert_eq!(settings["time_zone"], "Europe/Berlin");

    // Times typed on the page are Berlin wall-clock times; empty turn rows are skipped.
    let (s, body) = call(
        &t,
        "routing_save_rotation",
        &admin,
        &[
            ("id", ""),
            ("name", "Weekdays"),
            ("operators[]", ann.as_str()),
            ("operators[]", ""),
            ("operators[]", "nobody-we-know"),
            ("starts_at", "2026-11-02T09:00"),
        ],
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields(&body), ["operators[2]"], "the form's row: {body}");
    let (s, body) = call(
        &t,
        "routing_save_rotation",
        &admin,
        &[
            ("id", ""),
            ("name", "Weekdays"),
            ("operators[]", ann.as_str()),
            ("starts_at", "next monday"),
        ],
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields(&body), ["starts_at"]);
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("Europe/Berlin"));
    let (s, body) = call(
        &t,
        "routing_save_rotation",
        &admin,
        &[
            ("id", ""),
            ("name", "Weekdays"),
            ("operators[]", ann.as_str()),
            ("operators[]", ""),
            ("operators[]", bob.as_str()),
            ("starts_at", "2026-11-02T09:00"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let rot = only(&t, "/api/v1/rotations").await;
    let rid = rot["id"].as_str().unwrap().to_string();
    assert_eq!(rot["operators"], json!([ann, bob]));
    assert!(
        rot["starts_at"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-02T08:00:00"),
        "09:00 CET is 08:00 UTC: {rot}"
    );

    // Edited with an override: Cy covers Ann on a Tuesday afternoon.
    let (s, body) = call(
        &t,
        "routing_save_rotation",
        &admin,
        &[
            ("id", rid.as_str()),
            ("name", "Weekdays"),
            ("operators[]", ann.as_str()),
            ("operators[]", bob.as_str()),
            ("starts_at", "2026-11-02T09:00"),
            ("overrides[0][operator_id]", cy.as_str()),
            ("overrides[0][starts_at]", "2026-11-03T13:00"),
            ("overrides[0][ends_at]", "2026-11-03T12:00"),
        ],
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields(&body), ["overrides[0].ends_at"]);
    let (s, body) = call(
        &t,
        "routing_save_rotation",
        &admin,
        &[
            ("id", rid.as_str()),
            ("name", "Weekdays"),
            ("operators[]", ann.as_str()),
            ("operators[]", bob.as_str()),
            ("starts_at", "2026-11-02T09:00"),
            ("overrides[0][operator_id]", ""),
            ("overrides[0][starts_at]", ""),
            ("overrides[0][ends_at]", ""),
            ("overrides[1][operator_id]", cy.as_str()),
            ("overrides[1][starts_at]", "2026-11-03T13:00"),
            ("overrides[1][ends_at]", "2026-11-03T18:00"),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let on_call = |at: &'static str| on_call(&t, &rid, at);
    assert_eq!(on_call("2026-11-03T11:59:00Z").await, json!(ann));
    assert_eq!(
        on_call("2026-11-03T12:00:00Z").await,
        json!(cy),
        "13:00 CET"
    );
    assert_eq!(
        on_call("2026-11-03T17:00:00Z").await,
        json!(ann),
        "18:00 CET"
    );
    // Turns hand over at 09:00 Berlin time.
    assert_eq!(on_call("2026-11-09T07:59:00Z").await, json!(ann));
    assert_eq!(on_call("2026-11-09T08:00:00Z").await, json!(bob));

    // The page shows the handover and the override in Berlin time, by name.
    let (_, html) = page(&t, "/admin/routing", &admin).await;
    assert!(html.contains("weekly, Mondays 09:00 CET"), "{html}");
    assert!(
        html.contains("Cy: 2026-11-03 13:00 CET → 2026-11-03 18:00 CET"),
        "{html}"
    );
    assert!(
        html.contains(r#"value="2026-11-03T13:00""#),
        "the edit form is filled"
    );

    // A rotation a chain uses cannot be deleted; once the chain is gone it can.
    let target = format!("on_call:{rid}");
    let (s, body) = call(
        &t,
        "routing_save_chain",
        &admin,
        &[
            ("name", "On call first"),
            ("steps[0][wait_minutes]", "5"),
            ("steps[0][targets][]", target.as_str()),
        ],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (_, html) = page(&t, "/admin/routing", &admin).await;
    assert!(html.contains("on call of Weekdays"), "{html}");
    let (s, body) = call(
        &t,
        "routing_delete_rotation",
        &admin,
        &[("id", rid.as_str())],
    )
    .await;
    assert_eq!(s, 409, "{body}");
    assert_eq!(body["error"]["reason"], "rotation_in_use");
    let chain = only(&t, "/api/v1/escalation-chains").await;
    let cid = chain["id"].as_str().unwrap();
    let (s, _) = call(&t, "routing_delete_chain", &admin, &[("id", cid)]).await;
    assert_eq!(s, 200);
    let (s, body) = call(
        &t,
        "routing_delete_rotation",
        &admin,
        &[("id", rid.as_str())],
    )
    .await;
    assert_eq!(s, 200, "{body}");
    let (_, html) = page(&t, "/admin/routing", &admin).await;
    assert!(html.contains("No rotation yet."));
}

#[tokio::test]
async fn policy_hours_are_read_in_the_organizations_time_zone() {
    let t = TestApp::spawn().await;
    let (s, body) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"time_zone": "Mars/Olympus"}),
        )
        .await;
    assert_eq!(s, 422, "{body}");
    assert_eq!(fields(&body), ["time_zone"]);
    let (s, body) = t
        .send_json(
            "PUT",
            "/api/v1/policies",
            json!({"policies": [{"name": "Office hours", "condition": "hour >= 9 && hour < 17 && weekday != 'sat' && weekday != 'sun'",
                                 "actions": {"priority": "high"}}]}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    let test_at = |at: &'static str| policy_test(&t, at);
    // Friday 2026-11-20 07:30 UTC: 07:30 in UTC (closed).
    let r = test_at("2026-11-20T07:30:00Z").await;
    assert_eq!(r["matched"], Value::Null, "{r}");
    assert_eq!(r["variables"]["hour"], 7);

    // In Tokyo it is 16:30: open.
    let (s, body) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"time_zone": "Asia/Tokyo"}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["time_zone"], "Asia/Tokyo");
    let r = test_at("2026-11-20T07:30:00Z").await;
    assert_eq!(r["matched"]["name"], "Office hours", "{r}");
    assert_eq!(r["variables"]["hour"], 16);
    assert_eq!(r["variables"]["time"], "16:30");
    // An hour later it is 17:30 there: closed. And 23:30 UTC Friday is Saturday in Tokyo.
    assert_eq!(
        test_at("2026-11-20T08:30:00Z").await["matched"],
        Value::Null
    );
    let r = test_at("2026-11-20T23:30:00Z").await;
    assert_eq!(r["variables"]["weekday"], "sat");
    assert_eq!(r["matched"], Value::Null);

    // A settings PUT without `time_zone` leaves it as it is.
    let (s, body) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"default_chain_id": null}),
        )
        .await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(body["time_zone"], "Asia/Tokyo");
}

#[tokio::test]
async fn pages_show_times_in_the_organizations_time_zone() {
    let t = TestApp::spawn().await;
    let (_, admin) = t.signed_in("ann@acme.test", "Ann Admin", &["admin"]).await;
    let (s, _) = t
        .send_json(
            "PUT",
            "/api/v1/routing/settings",
            json!({"time_zone": "Asia/Tokyo"}),
        )
        .await;
    assert_eq!(s, 200);
    let conv = t.conversation().await;
    let (s, h) = t
        .post("/api/v1/handoffs", &t.key, takeover_body(&conv))
        .await;
    assert_eq!(s, 201, "{h}");
    let hid = h["id"].as_str().unwrap();
    let (s, _) = t
        .post(
            &format!("/api/v1/handoffs/{hid}/resolve"),
            &t.key,
            json!({}),
        )
        .await;
    assert_eq!(s, 200);
    // Japan keeps no daylight saving time: always JST.
    for path in ["/history", &format!("/m/{hid}"), "/admin", "/admin/metrics"] {
        let (s, html) = page(&t, path, &admin).await;
        assert_eq!(s, 200, "{path}");
        assert!(html.contains(" JST"), "{path} shows Tokyo time: {html}");
        assert!(!html.contains(" UTC"), "{path} shows no UTC time");
    }
}
