//! Integration tests: one binary (faster to link), one module per area.

mod admin_pages;
mod api_auth;
mod api_handoffs;
mod approvals;
mod audit;
mod common;
mod leases;
mod limits;
mod metrics;
mod mobile_link;
mod nodes;
mod nodes_agents_escalation;
mod processes;
mod push;
mod routing;
mod security_api;
mod security_web;
mod sinks;
mod streams;
mod takeover_steps;
mod tenancy;
mod time_to_human;
mod webhooks;
