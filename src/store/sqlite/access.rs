use super::point_reads::point_row;
use super::{plain_row, split_list, SqliteStore};
use crate::domain::records::{ApiKeyRecord, Operator, Session, SessionGrant};
use crate::store::{ApiKeyStore, OperatorStore, StoreResult};
use async_trait::async_trait;
use std::sync::LazyLock;

#[derive(sqlx::FromRow)]
struct KeyRow {
    id: String,
    organization_id: String,
    name: String,
    prefix: String,
    scopes: String,
    created_at: String,
    revoked_at: Option<String>,
}

point_row!(KeyRow {
    id,
    organization_id,
    name,
    prefix,
    scopes,
    created_at,
    revoked_at
});

impl From<KeyRow> for ApiKeyRecord {
    fn from(r: KeyRow) -> Self {
        ApiKeyRecord {
            scopes: split_list(&r.scopes),
            id: r.id,
            organization_id: r.organization_id,
            name: r.name,
            prefix: r.prefix,
            created_at: r.created_at,
            revoked_at: r.revoked_at,
        }
    }
}

#[derive(sqlx::FromRow)]
struct OperatorRow {
    id: String,
    organization_id: String,
    email: String,
    name: String,
    roles: String,
    active: bool,
    created_at: String,
}

point_row!(OperatorRow {
    id,
    organization_id,
    email,
    name,
    roles,
    active,
    created_at,
});

impl From<OperatorRow> for Operator {
    fn from(r: OperatorRow) -> Self {
        Operator {
            roles: split_list(&r.roles),
            id: r.id,
            organization_id: r.organization_id,
            email: r.email,
            name: r.name,
            active: r.active,
            created_at: r.created_at,
        }
    }
}

plain_row!(SessionRow => Session { operator_id: String, organization_id: String, expires_at: String, handoff_id: Option<String> });
point_row!(SessionRow {
    operator_id,
    organization_id,
    expires_at,
    handoff_id
});

// Point reads on every request: their text is made once.
static KEY_BY_HASH: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {}, o.setup_version FROM api_keys k \
         JOIN organizations o ON o.id = k.organization_id WHERE k.key_hash = ?",
        KeyRow::columns("k.")
    )
});
static OPERATOR_BY_ID: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {} FROM operators WHERE id = ?",
        OperatorRow::columns("")
    )
});
static SESSION_BY_HASH: LazyLock<String> = LazyLock::new(|| {
    format!(
        "SELECT {} FROM operator_sessions s JOIN operators o ON o.id = s.operator_id \
         WHERE s.token_hash = ? AND s.expires_at > ? AND o.active = 1",
        SessionRow::columns("s.")
    )
});

#[async_trait]
impl ApiKeyStore for SqliteStore {
    async fn insert_api_key(&self, key: &ApiKeyRecord, key_hash: &str) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO api_keys (id, organization_id, name, prefix, key_hash, scopes, created_at) \
             VALUES (?,?,?,?,?,?,?)",
        )
        .bind(&key.id)
        .bind(&key.organization_id)
        .bind(&key.name)
        .bind(&key.prefix)
        .bind(key_hash)
        .bind(key.scopes.join(","))
        .bind(&key.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn api_key_by_hash(&self, key_hash: &str) -> StoreResult<Option<(ApiKeyRecord, i64)>> {
        let found = self
            .points
            .optional(KEY_BY_HASH.as_str(), vec![key_hash.to_string()], |r| {
                Ok((KeyRow::read(r)?, r.get::<_, i64>(KeyRow::WIDTH)?))
            })
            .await?;
        Ok(found.map(|(key, version)| (ApiKeyRecord::from(key), version)))
    }

    async fn revoke_api_key(
        &self,
        org_id: &str,
        id_or_prefix: &str,
        now: &str,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE api_keys SET revoked_at = ? WHERE organization_id = ? AND (id = ? OR prefix = ?) \
             AND revoked_at IS NULL",
        )
        .bind(now)
        .bind(org_id)
        .bind(id_or_prefix)
        .bind(id_or_prefix)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    async fn api_keys(&self, org_id: &str) -> StoreResult<Vec<ApiKeyRecord>> {
        let rows: Vec<KeyRow> = sqlx::query_as(
            "SELECT * FROM api_keys WHERE organization_id = ? ORDER BY created_at DESC",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(ApiKeyRecord::from).collect())
    }
}

#[async_trait]
impl OperatorStore for SqliteStore {
    async fn insert_operator(&self, op: &Operator) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO operators (id, organization_id, email, name, roles, active, created_at) \
             VALUES (?,?,?,?,?,?,?)",
        )
        .bind(&op.id)
        .bind(&op.organization_id)
        .bind(&op.email)
        .bind(&op.name)
        .bind(op.roles.join(","))
        .bind(op.active)
        .bind(&op.created_at)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn operator_by_email(&self, org_id: &str, email: &str) -> StoreResult<Option<Operator>> {
        let row: Option<OperatorRow> =
            sqlx::query_as("SELECT * FROM operators WHERE organization_id = ? AND email = ?")
                .bind(org_id)
                .bind(email)
                .fetch_optional(&self.reader)
                .await?;
        Ok(row.map(Operator::from))
    }

    async fn operator_by_id(&self, id: &str) -> StoreResult<Option<Operator>> {
        let row = self
            .points
            .optional(
                OPERATOR_BY_ID.as_str(),
                vec![id.to_string()],
                OperatorRow::read,
            )
            .await?;
        Ok(row.map(Operator::from))
    }

    async fn operators(&self, org_id: &str) -> StoreResult<Vec<Operator>> {
        let rows: Vec<OperatorRow> = sqlx::query_as(
            "SELECT * FROM operators WHERE organization_id = ? ORDER BY name, email",
        )
        .bind(org_id)
        .fetch_all(&self.reader)
        .await?;
        Ok(rows.into_iter().map(Operator::from).collect())
    }

    async fn update_operator(
        &self,
        org_id: &str,
        id: &str,
        roles: Option<&[String]>,
        active: Option<bool>,
    ) -> StoreResult<bool> {
        let done = sqlx::query(
            "UPDATE operators SET roles = COALESCE(?, roles), active = COALESCE(?, active) \
             WHERE id = ? AND organization_id = ?",
        )
        .bind(roles.map(|r| r.join(",")))
        .bind(active)
        .bind(id)
        .bind(org_id)
        .execute(&self.writer)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    async fn set_password_hash(&self, operator_id: &str, hash: &str) -> StoreResult<()> {
        sqlx::query("UPDATE operators SET password_hash = ? WHERE id = ?")
            .bind(hash)
            .bind(operator_id)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn password_hash(&self, operator_id: &str) -> StoreResult<Option<String>> {
        let row: Option<Option<String>> = self
            .points
            .optional(
                "SELECT password_hash FROM operators WHERE id = ?",
                vec![operator_id.to_string()],
                |r| r.get(0),
            )
            .await?;
        Ok(row.flatten())
    }

    async fn insert_session(&self, s: &SessionGrant) -> StoreResult<()> {
        sqlx::query(
            "INSERT INTO operator_sessions (token_hash, operator_id, organization_id, created_at, expires_at, handoff_id) \
             VALUES (?,?,?,?,?,?)",
        )
        .bind(&s.token_hash)
        .bind(&s.operator_id)
        .bind(&s.organization_id)
        .bind(&s.created_at)
        .bind(&s.expires_at)
        .bind(&s.handoff_id)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    async fn session(&self, token_hash: &str, now: &str) -> StoreResult<Option<Session>> {
        let row = self
            .points
            .optional(
                SESSION_BY_HASH.as_str(),
                vec![token_hash.to_string(), now.to_string()],
                SessionRow::read,
            )
            .await?;
        Ok(row.map(Session::from))
    }

    async fn delete_session(&self, token_hash: &str) -> StoreResult<()> {
        sqlx::query("DELETE FROM operator_sessions WHERE token_hash = ?")
            .bind(token_hash)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn purge_sessions(&self, now: &str) -> StoreResult<u64> {
        let done = sqlx::query("DELETE FROM operator_sessions WHERE expires_at <= ?")
            .bind(now)
            .execute(&self.writer)
            .await?;
        Ok(done.rows_affected())
    }

    async fn nonce_used(&self, nonce: &str) -> StoreResult<bool> {
        let row: Option<(i64,)> = sqlx::query_as("SELECT 1 FROM link_nonces WHERE nonce = ?")
            .bind(nonce)
            .fetch_optional(&self.reader)
            .await?;
        Ok(row.is_some())
    }
}
