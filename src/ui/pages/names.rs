//! People, not ids: the names pages show for the actors the audit log records
//! (`operator:<id>`, `api_key:<id>`, `policy:<id>`, `system`). The raw label
//! stays available (pages put it in a `title`, exports keep it).

use crate::error::AppError;
use crate::service::App;
use std::collections::HashMap;

pub struct ActorNames {
    operators: HashMap<String, String>,
    keys: HashMap<String, String>,
    policies: HashMap<String, String>,
}

impl ActorNames {
    /// The organization's operators, API keys (revoked ones too: history
    /// still names them) and policies.
    pub async fn load(app: &App, org_id: &str) -> Result<ActorNames, AppError> {
        let operators = crate::service::orgs::operators(app, org_id).await?;
        let keys = crate::service::keys::list(app, org_id).await?;
        let policies = crate::service::routing::policies(app, org_id).await?;
        Ok(ActorNames {
            operators: operators.into_iter().map(|o| (o.id, o.name)).collect(),
            keys: keys.into_iter().map(|k| (k.id, k.name)).collect(),
            policies: policies.into_iter().map(|p| (p.id, p.name)).collect(),
        })
    }

    /// An operator's name by id (an unknown id as itself).
    pub fn operator(&self, id: &str) -> String {
        self.operators
            .get(id)
            .cloned()
            .unwrap_or_else(|| id.to_string())
    }

    /// An actor label in words: the operator's name, `key “name”`,
    /// `policy “name”`, or `tapin` for the system.
    pub fn actor(&self, label: &str) -> String {
        match label.split_once(':') {
            Some(("operator", id)) => self.operator(id),
            Some(("api_key", id)) => match self.keys.get(id) {
                Some(n) => format!("key “{n}”"),
                None => "an API key".to_string(),
            },
            Some(("policy", id)) => match self.policies.get(id) {
                Some(n) => format!("policy “{n}”"),
                None => "a policy".to_string(),
            },
            _ => "tapin".to_string(),
        }
    }
}
