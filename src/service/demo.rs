//! Demo data for a newcomer: an organization, an operator, an API key and a
//! takeover handoff, with a ready mobile link printed at start.

use super::{conversations, handoffs, keys, links, orgs, App};
use crate::domain::{Actor, Packet, Source};
use crate::error::AppError;

pub const ORG: &str = "demo";
pub const EMAIL: &str = "operator@demo.tapin";
/// Long enough for a person to copy the link from the console to a phone.
pub const LINK_TTL_SECONDS: i64 = 30 * 60;

pub struct Demo {
    pub api_key: String,
    pub operator_email: String,
    /// A fresh password for /login on every demo start.
    pub password: String,
    pub handoff_id: String,
    pub link: String,
}

/// Seeds on first start; on later starts, mints a fresh key, handoff and link.
pub async fn seed(app: &App) -> Result<Demo, AppError> {
    let org = match app.store.org_by_slug(ORG).await? {
        Some(org) => org,
        None => orgs::create_org(app, ORG, Some("Demo organization")).await?,
    };
    let operator = match app.store.operator_by_email(&org.id, EMAIL).await? {
        Some(op) => op,
        None => {
            orgs::create_operator(
                app,
                &org.id,
                EMAIL,
                "Dana Demo",
                vec!["support".into(), "billing_manager".into(), "admin".into()],
            )
            .await?
        }
    };
    let password = hex::encode(super::random_bytes::<8>());
    super::passwords::set(app, &operator, &password).await?;
    let (api_key, key) = keys::create(
        app,
        &org.id,
        "demo",
        keys::SCOPES.iter().map(|s| s.to_string()).collect(),
    )
    .await?;
    let conv = conversations::create(app, &org.id, Some("demo-chat".into())).await?;
    for (author, content) in [
        ("user", "Hi, I was charged twice for my March invoice."),
        (
            "agent",
            "Sorry about that! Let me look up invoice INV-2024-0891.",
        ),
        ("agent", "I can see two charges of $50.00 on March 3."),
        (
            "user",
            "Yes, please refund one of them. This is the second time this happens.",
        ),
    ] {
        conversations::post_message(app, &org.id, &conv.id, author, content).await?;
    }
    let mut context_vars = serde_json::Map::new();
    context_vars.insert("customer".into(), "Alex Rivera".into());
    context_vars.insert("invoice".into(), "INV-2024-0891".into());
    context_vars.insert("amount_usd".into(), 50.into());
    let handoff = handoffs::create_takeover(
        app,
        &org.id,
        &Actor::ApiKey(key.id),
        handoffs::NewTakeover {
            conversation_id: conv.id,
            source: Source::Router,
            packet: Packet {
                static_text: "The customer was double-charged and wants a refund.".into(),
                reason: Some("Refunds need access to the billing backend, outside the agent's permissions.".into()),
                context_vars,
                summary: Some("Alex reports a duplicate $50 charge on invoice INV-2024-0891 and asks for one to be refunded; it has happened before.".into()),
                transcript_ptr: None,
                transfer_to: Some("billing".into()),
                transfer_label: Some("Billing team".into()),
            },
        },
    )
    .await?;
    let link = links::sign(app, &handoff.id, &operator.id, LINK_TTL_SECONDS)?;
    Ok(Demo {
        api_key,
        operator_email: operator.email,
        password,
        handoff_id: handoff.id,
        link,
    })
}
