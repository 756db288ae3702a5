//! Background workers: they find due work (timers, outbox rows, webhook
//! deliveries) and call the service for it; the rules stay in the service.

pub mod notices;
pub mod timers;
pub mod webhooks;
