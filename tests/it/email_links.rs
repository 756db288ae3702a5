//! One-tap Approve / Deny links in approval emails (issue 14 §3): opening a
//! link (what a mail scanner does) shows a question and changes nothing; only
//! the POST from that page decides, once, as the link's operator, under the
//! same rules as the page (four-eyes, quorum, a reason to deny).

use crate::common::TestApp;
use crate::sinks::{next, smtp_sink, Mail};
use serde_json::{json, Value};
use tapin::service::decide_links;
use tokio::sync::mpsc::UnboundedReceiver;

/// The first URL after `label` in the mail.
fn link_after(mail: &Mail, label: &str) -> String {
    let start = mail
        .data
        .find(label)
        .unwrap_or_else(|| panic!("{label} in {}", mail.data))
        + label.len();
    mail.data[start..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_string()
}

/// The path and query of a link (the test talks to the server directly).
fn path_of(url: &str, t: &TestApp) -> String {
    url.strip_prefix(&t.base)
        .expect("a link to this server")
        .to_string()
}

fn token_of(url: &str) -> String {
    url.split("?t=").nth(1).unwrap().to_string()
}

async fn page(t: &TestApp, path: &str) -> (u16, String) {
    let res = t
        .client
        .get(format!("{}{path}", t.base))
        .send()
        .await
        .unwrap();
    (res.status().as_u16(), res.text().await.unwrap())
}

/// Posts the confirm form; returns where the server sends the browser.
async fn confirm(t: &TestApp, id: &str, form: &[(&str, &str)]) -> String {
    let res = t
        .client
        .post(format!("{}/m/{id}/decide", t.base))
        .form(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    res.headers()["location"].to_str().unwrap().to_string()
}

async fn approval(t: &TestApp, id: &str) -> Value {
    let (s, a) = t.get(&format!("/api/v1/approvals/{id}"), &t.key).await;
    assert_eq!(s, 200, "{a}");
    a
}

/// The next notification mail about handoff `id` addressed to `email`.
async fn mail_to(mails: &mut UnboundedReceiver<Mail>, email: &str, id: &str) -> Mail {
    loop {
        let m = next(mails).await;
        if m.rcpt.iter().any(|r| r.contains(email)) && m.data.contains(&format!("/m/{id}?t=")) {
            return m;
        }
    }
}

async fn start() -> (TestApp, UnboundedReceiver<Mail>, String) {
    let (smtp, mails) = smtp_sink().await;
    let t = TestApp::spawn_with(|c| c.smtp_url = smtp).await;
    let ana = t
        .signed_in("ana@acme.test", "Ana", &["billing_manager"])
        .await
        .0;
    (t, mails, ana)
}

#[tokio::test]
async fn opening_an_email_link_decides_nothing_and_the_confirm_post_decides_once() {
    let (t, mut mails, ana) = start().await;
    let hostile = "refund #123 <img src=x onerror=alert(1)>";
    let (_, a) = t.approval(json!({"subject_ref": hostile})).await;
    let id = a["id"].as_str().unwrap().to_string();

    let mail = mail_to(&mut mails, "ana@acme.test", &id).await;
    let approve = link_after(&mail, "Approve: ");
    let deny = link_after(&mail, "Deny: ");
    assert!(approve.contains(&format!("/m/{id}/decide?t=")), "{approve}");
    assert_ne!(approve, deny);
    assert!(
        mail.data.contains(&format!("/m/{id}?t=")),
        "the open link stays"
    );

    // A scanner (or the person) opens the link, twice: a question, nothing decided.
    for _ in 0..2 {
        let (s, html) = page(&t, &path_of(&approve, &t)).await;
        assert_eq!(s, 200);
        assert!(
            html.contains("Approve tool call “refund #123 &lt;img"),
            "{html}"
        );
        assert!(!html.contains("<img src=x"), "the subject is text");
        assert!(html.contains(">Confirm approval<"));
        assert!(html.contains(&format!(r#"action="/m/{id}/decide""#)));
    }
    assert_eq!(approval(&t, &id).await["status"], "pending");

    // A cross-site post of the form is refused before anything is read.
    let cross = t
        .client
        .post(format!("{}/m/{id}/decide", t.base))
        .header("origin", "https://evil.test")
        .form(&[("t", token_of(&approve).as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(cross.status(), 403);
    assert_eq!(approval(&t, &id).await["status"], "pending");

    // The confirm post decides, as Ana, from the email link.
    let to = confirm(&t, &id, &[("t", &token_of(&approve))]).await;
    assert_eq!(to, format!("/m/{id}/decide?done=approved"));
    let done = approval(&t, &id).await;
    assert_eq!(done["status"], "approved");
    assert_eq!(done["decided_by"], json!(format!("operator:{ana}")));
    let (_, evs) = t
        .get(&format!("/api/v1/handoffs/{id}/events"), &t.key)
        .await;
    let decide = evs
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["event"] == "decide")
        .unwrap()
        .clone();
    assert_eq!(decide["data"]["via"], "email_link");
    let (_, html) = page(&t, &to).await;
    assert!(html.contains("Your approval is recorded"));

    // Once: the same post again, and the Deny link of the same mail, are spent.
    let again = confirm(&t, &id, &[("t", &token_of(&approve))]).await;
    assert_eq!(again, format!("/m/{id}/decide?problem=used"));
    let (_, html) = page(&t, &path_of(&deny, &t)).await;
    assert!(html.contains("This link was already used"), "{html}");
    assert!(!html.contains("Confirm deny"));
    let again = confirm(&t, &id, &[("t", &token_of(&deny)), ("note", "no")]).await;
    assert_eq!(again, format!("/m/{id}/decide?problem=used"));
    assert_eq!(approval(&t, &id).await["status"], "approved");
}

#[tokio::test]
async fn a_deny_needs_a_reason_and_bad_or_foreign_links_show_a_clear_page() {
    let (t, mut mails, _) = start().await;
    let (_, a) = t.approval(json!({})).await;
    let id = a["id"].as_str().unwrap().to_string();
    let mail = mail_to(&mut mails, "ana@acme.test", &id).await;
    let deny = link_after(&mail, "Deny: ");

    let (_, html) = page(&t, &path_of(&deny, &t)).await;
    assert!(html.contains("Deny tool call “refund.create”?"));
    assert!(html.contains(r#"name="note""#) && html.contains("required"));
    // Without a reason: refused, and the link still works.
    let to = confirm(&t, &id, &[("t", &token_of(&deny)), ("note", "  ")]).await;
    assert_eq!(to, format!("/m/{id}/decide?refused=note"));
    let (_, html) = page(&t, &to).await;
    assert!(html.contains("Say why you deny it"));
    assert_eq!(approval(&t, &id).await["status"], "pending");
    let to = confirm(
        &t,
        &id,
        &[("t", &token_of(&deny)), ("note", "Over the limit")],
    )
    .await;
    assert_eq!(to, format!("/m/{id}/decide?done=denied"));
    let denied = approval(&t, &id).await;
    assert_eq!(
        (denied["status"].as_str(), denied["decision_note"].as_str()),
        (Some("denied"), Some("Over the limit"))
    );

    // Damaged, for another handoff, expired, or an open link in place of a decide link.
    let (_, b) = t.approval(json!({})).await;
    let other = b["id"].as_str().unwrap().to_string();
    let mut damaged = token_of(&deny);
    damaged.replace_range(10..11, if &damaged[10..11] == "A" { "B" } else { "A" });
    let (_, html) = page(&t, &format!("/m/{id}/decide?t={damaged}")).await;
    assert!(html.contains(r#"data-problem="tampered""#), "{html}");
    let ana = t
        .app
        .store
        .operator_by_email(&t.org_id, "ana@acme.test")
        .await
        .unwrap()
        .unwrap();
    let fresh = decide_links::sign_pair(&t.app, &other, &ana.id, 600).unwrap();
    let (_, html) = page(
        &t,
        &format!("/m/{id}/decide?t={}", token_of(&fresh.approve)),
    )
    .await;
    assert!(html.contains(r#"data-problem="foreign""#), "{html}");
    let expired = decide_links::sign_pair(&t.app, &other, &ana.id, -10).unwrap();
    let (_, html) = page(&t, &path_of(&expired.approve, &t)).await;
    assert!(html.contains(r#"data-problem="expired""#), "{html}");
    let to = confirm(&t, &other, &[("t", &token_of(&expired.approve))]).await;
    assert_eq!(to, format!("/m/{other}/decide?problem=expired"));
    let open = tapin::service::links::sign(&t.app, &other, &ana.id, 600).unwrap();
    let (_, html) = page(&t, &format!("/m/{other}/decide?t={}", token_of(&open))).await;
    assert!(
        html.contains(r#"data-problem="tampered""#),
        "an open link decides nothing"
    );
    let to = confirm(&t, &other, &[("t", &token_of(&open))]).await;
    assert_eq!(to, format!("/m/{other}/decide?problem=tampered"));
    assert_eq!(approval(&t, &other).await["status"], "pending");
}

#[tokio::test]
async fn four_eyes_quorum_and_typed_answers_hold_for_email_links() {
    let (t, mut mails, ana) = start().await;
    // Four-eyes: Ana's own request shows why she cannot decide, and a post is refused.
    let (_, mine) = t
        .approval(json!({"requested_by": "ana@acme.test", "four_eyes": true}))
        .await;
    let mine = mine["id"].as_str().unwrap().to_string();
    let pair = decide_links::sign_pair(&t.app, &mine, &ana, 600).unwrap();
    let (_, html) = page(&t, &path_of(&pair.approve, &t)).await;
    assert!(html.contains(r#"data-testid="cannot-decide""#), "{html}");
    assert!(html.contains("Four-eyes"));
    assert!(!html.contains(r#"name="t""#), "no form to post");
    let to = confirm(&t, &mine, &[("t", &token_of(&pair.approve))]).await;
    assert_eq!(to, format!("/m/{mine}/decide?refused=four_eyes"));
    assert_eq!(approval(&t, &mine).await["status"], "pending");

    // Quorum: Ana's confirm is a vote; the approval keeps waiting for another person.
    let (_, q) = t.approval(json!({"required_approvals": 2})).await;
    let q = q["id"].as_str().unwrap().to_string();
    let pair = decide_links::sign_pair(&t.app, &q, &ana, 600).unwrap();
    let to = confirm(&t, &q, &[("t", &token_of(&pair.approve))]).await;
    assert_eq!(to, format!("/m/{q}/decide?done=voted"));
    let voted = approval(&t, &q).await;
    assert_eq!(voted["status"], "pending");
    assert_eq!(voted["approvals"].as_array().unwrap().len(), 1);

    // An approval that asks for a typed answer is answered on its page: its
    // email has only the open link.
    let (_, typed) = t
        .approval(json!({"response_schema": {"type": "integer", "minimum": 1}}))
        .await;
    let typed = typed["id"].as_str().unwrap().to_string();
    let mail = mail_to(&mut mails, "ana@acme.test", &typed).await;
    assert!(!mail.data.contains("/decide?t="), "{}", mail.data);
}
