//! What the benchmarks send: a realistic customer thread and takeover packet.

use serde_json::json;

/// Realistic takeover content, so the page weighs what a real one does.
pub fn customer_line(i: usize) -> String {
    const USER: [&str; 5] = [
        "Hi, I was charged twice for my March invoice and I need one of the charges reversed",
        "It is the annual plan, order number ORD-77812, paid with the card ending 4417",
        "Yes, both charges show as completed on my bank statement, not pending",
        "This is the second time this happens, last time it took two weeks to get my money back",
        "Can you confirm by email once the refund is on its way please",
    ];
    const AGENT: [&str; 5] = [
        "Sorry about that! Let me look up the invoice and the payments attached to it",
        "I can see two charges of 50.00 USD on March 3, four minutes apart, same card",
        "The second charge comes from a retried checkout; our records mark it as a duplicate",
        "Refunds above the automatic limit need a person from the billing team",
        "I am handing this conversation to a colleague who can issue the refund right away",
    ];
    let pool = if i.is_multiple_of(2) { &USER } else { &AGENT };
    format!("{} (msg {:02})", pool[(i / 2) % 5], i + 1)
}

/// The packet a realistic takeover carries; every value is checked for in the page.
pub fn takeover_packet() -> serde_json::Value {
    json!({
        "static_text": "The customer was double-charged for invoice INV-2024-0891 and wants one charge refunded.",
        "reason": "Refunds above 25 USD need access to the billing backend, outside what the agent may do.",
        "summary": "Alex Rivera reports a duplicate 50 USD charge on invoice INV-2024-0891 (annual plan, card ending 4417) and asks for one refund plus an email confirmation; it has happened before.",
        "context_vars": {
            "customer": "Alex Rivera",
            "invoice": "INV-2024-0891",
            "order": "ORD-77812",
            "amount_usd": 50,
            "plan": "annual",
            "card_last4": "4417",
            "previous_incidents": 1
        },
        "transfer_to": "billing",
        "transfer_label": "Billing team"
    })
}
