//! `/admin`'s Slack section: the Slack app's signing secret (write-only: the
//! page says whether one is set, never shows it), the Request URL to paste
//! into the app's Interactivity settings, and each operator's Slack member ID,
//! which decides whose name an Approve / Deny press from Slack is recorded in.

use super::admin_fns::{AdminSlackSecret, AdminSlackUser};
use super::notice::failure;
use super::types::{SlackUserRow, SlackView};
use leptos::prelude::*;

#[component]
pub fn SlackSection(
    v: SlackView,
    secret: ServerAction<AdminSlackSecret>,
    user: ServerAction<AdminSlackUser>,
) -> impl IntoView {
    let state = if v.secret_set {
        "A signing secret is set: presses signed with it are accepted."
    } else {
        "No signing secret is set: Slack buttons are refused until one is."
    };
    view! {
        <section aria-labelledby="slack-h" data-testid="slack-settings">
            <h2 id="slack-h">"Slack buttons"</h2>
            <p class="fine">
                "Approval messages in Slack carry Approve and Deny buttons. In your Slack app, turn on "
                "Interactivity and set its Request URL to:"
            </p>
            <p><code data-testid="slack-interactivity-url">{v.interactivity_url.clone()}</code></p>
            <p class="fine" data-testid="slack-secret-state">{state}</p>
            <ActionForm action=secret attr:class="grid-form">
                <label for="slack-secret">"Signing secret (Slack app → Basic Information; empty clears it)"</label>
                <input id="slack-secret" name="signing_secret" type="password" autocomplete="off"/>
                <button type="submit" class="primary">"Save signing secret"</button>
                {failure(move || secret.value().get())}
                {move || secret.value().get().and_then(|r| r.ok()).map(|_| view! { <p class="fine" role="status">"Saved."</p> })}
            </ActionForm>
            <p class="fine">
                "A press counts as the operator linked to the Slack member ID below (in Slack: profile → ⋮ → Copy member ID). "
                "Presses from anyone not linked are refused."
            </p>
            <table data-testid="slack-users">
                <thead><tr><th>"Operator"</th><th>"Slack member ID"</th></tr></thead>
                <tbody>
                    {v.operators.into_iter().map(|o| view! { <SlackUserLine o user/> }).collect_view()}
                </tbody>
            </table>
            {failure(move || user.value().get())}
        </section>
    }
}

#[component]
fn SlackUserLine(o: SlackUserRow, user: ServerAction<AdminSlackUser>) -> impl IntoView {
    let input_id = format!("slack-user-{}", o.id);
    let (row_id, form_id) = (o.id.clone(), o.id.clone());
    view! {
        <tr data-operator=row_id>
            <td>{o.name.clone()}</td>
            <td>
                <ActionForm action=user attr:class="inline">
                    <input type="hidden" name="id" value=form_id/>
                    <label class="sr-only" for=input_id.clone()>{format!("Slack member ID of {}", o.name)}</label>
                    <input id=input_id name="slack_user_id" value=o.slack_user_id.clone() size="14"
                        autocomplete="off" placeholder="U024BE7LH"/>
                    <button type="submit" class="secondary">"Save"</button>
                </ActionForm>
            </td>
        </tr>
    }
}
