//! Sealing secrets before they reach the store and opening them in the
//! service. Server secrets are sealed with a key derived from the master key;
//! an organization's secrets (webhook secrets, the Slack URL) with its own data
//! key, which is stored wrapped by the master key (`server_secrets`, name
//! `org_data_key:<org id>`) and made on first use.

use super::master_key::MasterKey;
use super::{now, random_bytes, App};
use crate::domain::sealed::{self, Key, OpenError};
use crate::error::AppError;
use crate::store::DynStore;
use std::collections::HashMap;
use std::sync::Mutex;

pub struct Keyring {
    /// Seals server secrets and wraps the organizations' data keys.
    seal_key: Key,
    /// Signs audit checkpoints (`tapin audit checkpoint`).
    checkpoint_key: Key,
    source: String,
    created: bool,
    org_keys: Mutex<HashMap<String, Key>>,
}

impl Keyring {
    pub fn new(master: &MasterKey) -> Keyring {
        Keyring {
            seal_key: sealed::derive(&master.key, "seal/v1"),
            checkpoint_key: sealed::derive(&master.key, "audit-checkpoint/v1"),
            source: master.source.clone(),
            created: master.created,
            org_keys: Mutex::new(HashMap::new()),
        }
    }

    pub fn checkpoint_key(&self) -> &Key {
        &self.checkpoint_key
    }

    fn seal_with(key: &Key, label: &str, clear: &str) -> String {
        sealed::seal(key, random_bytes::<12>(), label, clear.as_bytes())
    }

    /// The start error when a stored value does not open: which key, and what to do.
    fn start_error(&self, what: &str, e: OpenError) -> String {
        let hint = if self.created {
            " The master key was created by this start, so the one the database was sealed \
             with is missing: restore it from your backup (or point TAPIN_MASTER_KEY_FILE at it)."
        } else {
            " Is this the master key this database was sealed with? Restore the right one \
             from your backup."
        };
        format!(
            "the master key from {} does not open the stored {what} ({e}).{hint}",
            self.source
        )
    }

    /// Loads a server secret, creating it (sealed) on first start and sealing a
    /// clear value left by an older version.
    pub async fn server_secret(
        &self,
        store: &DynStore,
        name: &str,
        fresh: impl FnOnce() -> String,
    ) -> Result<String, String> {
        let label = sealed::server_secret_label(name);
        let sealed_fresh = Self::seal_with(&self.seal_key, &label, &fresh());
        let stored = store
            .secret_or_insert(name, &sealed_fresh, &now())
            .await
            .map_err(|e| format!("loading {name}: {e}"))?;
        if !sealed::is_sealed(&stored) {
            let sealed_now = Self::seal_with(&self.seal_key, &label, &stored);
            store
                .replace_secret(name, &stored, &sealed_now)
                .await
                .map_err(|e| format!("sealing {name}: {e}"))?;
            return Ok(stored);
        }
        sealed::open_text(&self.seal_key, &label, &stored)
            .map_err(|e| self.start_error(&server_secret_what(name), e))
    }

    /// The organization's data key, made and stored (wrapped) on first use.
    async fn org_key(&self, store: &DynStore, org_id: &str) -> Result<Key, AppError> {
        if let Some(k) = self.org_keys.lock().expect("keyring lock").get(org_id) {
            return Ok(*k);
        }
        let name = sealed::org_key_name(org_id);
        let fresh = Self::seal_with(&self.seal_key, &name, &hex::encode(random_bytes::<32>()));
        let stored = store.secret_or_insert(&name, &fresh, &now()).await?;
        let key = sealed::open_text(&self.seal_key, &name, &stored)
            .ok()
            .and_then(|h| hex::decode(h).ok())
            .and_then(|b| Key::try_from(b.as_slice()).ok())
            .ok_or_else(|| {
                tracing::error!(
                    org_id,
                    "an organization's data key does not open with the master key"
                );
                AppError::internal()
            })?;
        self.org_keys
            .lock()
            .expect("keyring lock")
            .insert(org_id.to_string(), key);
        Ok(key)
    }

    /// Seals an organization's secret under `label` (see `domain::sealed`).
    pub async fn seal_org(
        &self,
        store: &DynStore,
        org_id: &str,
        label: &str,
        clear: &str,
    ) -> Result<String, AppError> {
        let key = self.org_key(store, org_id).await?;
        Ok(Self::seal_with(&key, label, clear))
    }

    /// Seals bytes of an organization (a screenshot, captured browser state).
    pub async fn seal_org_bytes(
        &self,
        store: &DynStore,
        org_id: &str,
        label: &str,
        clear: &[u8],
    ) -> Result<String, AppError> {
        let key = self.org_key(store, org_id).await?;
        Ok(sealed::seal(&key, random_bytes::<12>(), label, clear))
    }

    /// Opens bytes sealed by `seal_org_bytes` (a 500 and a log line if they do not open).
    pub async fn open_org_bytes(
        &self,
        store: &DynStore,
        org_id: &str,
        label: &str,
        stored: &str,
    ) -> Result<Vec<u8>, AppError> {
        let key = self.org_key(store, org_id).await?;
        sealed::open(&key, label, stored).map_err(|e| {
            tracing::error!(label, error = %e, "a sealed capture does not open");
            AppError::internal()
        })
    }

    /// Opens an organization's secret; a value that does not open is a 500
    /// for the caller and a log line naming the label for the operator.
    pub async fn open_org(
        &self,
        store: &DynStore,
        org_id: &str,
        label: &str,
        stored: &str,
    ) -> Result<String, AppError> {
        let key = self.org_key(store, org_id).await?;
        sealed::open_text(&key, label, stored).map_err(|e| {
            tracing::error!(label, error = %e, "a sealed secret does not open");
            AppError::internal()
        })
    }
}

fn server_secret_what(name: &str) -> String {
    name.replace('_', " ")
}

/// Seals what older versions stored in clear (webhook secrets, Slack URLs) and
/// checks that the organizations' data keys open: run at every start, cheap
/// when nothing is left to do.
pub async fn seal_clear_rows(app: &App) -> Result<usize, String> {
    let fail = |e: AppError| format!("sealing stored secrets: {e}");
    let mut sealed_rows = 0;
    for org in app.store.orgs().await.map_err(|e| fail(e.into()))? {
        for mut w in app
            .store
            .webhooks(&org.id)
            .await
            .map_err(|e| fail(e.into()))?
        {
            if sealed::is_sealed(&w.secret) {
                continue;
            }
            w.secret = app
                .keys
                .seal_org(
                    &app.store,
                    &org.id,
                    &sealed::webhook_secret_label(&w.id),
                    &w.secret,
                )
                .await
                .map_err(fail)?;
            app.store
                .update_webhook(&w)
                .await
                .map_err(|e| fail(e.into()))?;
            sealed_rows += 1;
        }
        let mut s = app
            .store
            .routing_settings(&org.id)
            .await
            .map_err(|e| fail(e.into()))?;
        if let Some(url) = s
            .slack_webhook_url
            .as_deref()
            .filter(|u| !sealed::is_sealed(u))
        {
            let label = sealed::slack_url_label(&org.id);
            s.slack_webhook_url = Some(
                app.keys
                    .seal_org(&app.store, &org.id, &label, url)
                    .await
                    .map_err(fail)?,
            );
            app.store
                .set_routing_settings(&org.id, &s)
                .await
                .map_err(|e| fail(e.into()))?;
            sealed_rows += 1;
        }
    }
    if sealed_rows > 0 {
        tracing::info!(
            sealed_rows,
            "sealed secrets an older version stored in clear"
        );
    }
    Ok(sealed_rows)
}
