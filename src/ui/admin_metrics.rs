//! `/admin/metrics`: time to human for the admin's organization — per
//! operator, per escalation chain and per handoff — for a period chosen with
//! a plain GET form. A server component only: the page ships no WASM.

use super::desk::{AdminNav, DeskHeader, Here};
use super::preload::{desk_user, preloaded};
use super::title::PageTitle;
use crate::domain::time_to_human::{human_ms, Percentiles, TimeToHuman};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

fn ms(v: Option<i64>) -> String {
    v.map(human_ms).unwrap_or_else(|| "–".to_string())
}

/// Shown as the server wrote it: in the organization's time zone, with its abbreviation.
fn when(t: &Option<String>) -> String {
    t.clone().unwrap_or_else(|| "–".to_string())
}

/// The four percentile cells and two counts of a row, in table order.
fn cells(p: &Percentiles) -> impl IntoView {
    view! {
        <td>{p.opened}</td>
        <td>{ms(p.time_to_open_p50_ms)}</td>
        <td>{ms(p.time_to_open_p95_ms)}</td>
        <td>{p.decided}</td>
        <td>{ms(p.time_to_decide_p50_ms)}</td>
        <td>{ms(p.time_to_decide_p95_ms)}</td>
    }
}

fn percentile_heads() -> impl IntoView {
    view! {
        <th>"Opened"</th><th>"Time to open p50"</th><th>"p95"</th>
        <th>"Decided"</th><th>"Time to decide p50"</th><th>"p95"</th>
    }
}

#[component]
pub fn AdminMetricsPage() -> impl IntoView {
    let query = use_query_map();
    let (from, to) = query.with_untracked(|q| (q.get("from"), q.get("to")));
    view! {
        <PageTitle text="Time to human · tapin"/>
        <main class="page wide admin">
            <DeskHeader here=Here::Admin user=desk_user()/>
            <AdminNav here="/admin/metrics"/>
            <h1>"Time to human"</h1>
            <form method="get" action="/admin/metrics" class="filters" aria-label="Period">
                <label>"From (RFC 3339)"
                    <input name="from" size="24" value=from.unwrap_or_default() placeholder="2026-11-01T00:00:00Z"/>
                </label>
                <label>"To (exclusive)"
                    <input name="to" size="24" value=to.unwrap_or_default() placeholder="any"/>
                </label>
                <button type="submit" class="secondary">"Show"</button>
            </form>
            {match preloaded::<TimeToHuman>() {
                None => view! { <p class="error" role="alert">"The page could not be loaded."</p> }.into_any(),
                Some(Ok(r)) => view! { <Report r/> }.into_any(),
                Some(Err(e)) => {
                    let signed_out = matches!(
                        e.code,
                        crate::error::ErrorCode::Unauthorized | crate::error::ErrorCode::Forbidden
                    );
                    view! {
                        <section class="notice" role="alert">
                            <p>{e.message}</p>
                            {signed_out.then(|| view! { <p><a href="/login?next=/admin/metrics">"Sign in"</a></p> })}
                        </section>
                    }.into_any()
                }
            }}
        </main>
    }
}

#[component]
fn Report(r: TimeToHuman) -> impl IntoView {
    let shown = r.handoffs.len();
    let total = r.handoffs_total;
    view! {
        <p class="fine">
            {format!("{total} {} created in the period. ", if total == 1 { "handoff" } else { "handoffs" })}
            "Percentiles are nearest-rank: p50 is the smallest time with at least half of the times at or below it. "
            "Time to open runs from creation to the first open; time to decide to the first decide, solve, resolve or hand back."
        </p>
        <section aria-labelledby="by-op-h">
            <h2 id="by-op-h">"By operator"</h2>
            <p class="fine">"Opened counts the handoffs an operator opened first; decided, the ones they decided or solved."</p>
            <table data-testid="by-operator">
                <thead><tr><th>"Operator"</th>{percentile_heads()}</tr></thead>
                <tbody>
                    {r.by_operator.into_iter().map(|o| view! {
                        <tr data-operator=o.operator_id.clone()><td>{o.operator_name.clone()}</td>{cells(&o.times)}</tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="by-chain-h">
            <h2 id="by-chain-h">"By escalation chain"</h2>
            <table data-testid="by-chain">
                <thead><tr><th>"Chain"</th><th>"Handoffs"</th>{percentile_heads()}</tr></thead>
                <tbody>
                    {r.by_chain.into_iter().map(|c| view! {
                        <tr data-chain=c.chain_id.clone()>
                            <td>{c.chain_name.clone().unwrap_or_else(|| c.chain_id.clone())}</td>
                            <td>{c.handoffs}</td>
                            {cells(&c.times)}
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
        <section aria-labelledby="handoffs-h">
            <h2 id="handoffs-h">{if shown < total { format!("Handoffs (newest {shown})") } else { "Handoffs".to_string() }}</h2>
            <table data-testid="handoffs">
                <thead><tr>
                    <th>"Handoff"</th><th>"Kind"</th><th>"Chain"</th><th>"Created"</th><th>"Notified"</th>
                    <th>"Opened"</th><th>"Solved"</th><th>"Resumed"</th><th>"To open"</th><th>"To decide"</th>
                </tr></thead>
                <tbody>
                    {r.handoffs.into_iter().rev().map(|h| view! {
                        <tr>
                            <td><a href=format!("/m/{}", h.handoff_id)><code>{h.handoff_id.clone()}</code></a></td>
                            <td>{h.kind.clone()}</td>
                            <td>{h.chain_id.clone()}</td>
                            <td>{when(&Some(h.created_at.clone()))}</td>
                            <td>{when(&h.notified_at)}</td>
                            <td>{when(&h.opened_at)}</td>
                            <td>{when(&h.solved_at)}</td>
                            <td>{when(&h.resumed_at)}</td>
                            <td>{ms(h.time_to_open_ms)}</td>
                            <td>{ms(h.time_to_decide_ms)}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
        </section>
    }
}
