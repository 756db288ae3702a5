//! Integration tests: one binary (faster to link), one module per area.

mod admin_pages;
mod api_auth;
mod api_handoffs;
mod approvals;
mod audit;
mod audit_content;
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
mod secrets_at_rest;
mod security_api;
mod security_caps;
mod security_web;
mod sinks;
mod streams;
mod takeover_steps;
mod tenancy;
mod time_to_human;
mod webhooks;
