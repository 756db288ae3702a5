//! The master key: 32 random bytes kept outside the database. It wraps the
//! per-organization data keys and seals the server's own secrets (link signing
//! key, VAPID key), and a key derived from it signs audit checkpoints. Someone
//! who reads (or writes) only the database gets none of these.
//!
//! Where it comes from, first match wins: `TAPIN_MASTER_KEY` (the key itself,
//! base64 or hex, for secret managers), the file `master_key_file`
//! (`TAPIN_MASTER_KEY_FILE`), or `master.key` beside the SQLite database
//! (`data/master.key` with PostgreSQL). A missing file is created, mode 0600.

use crate::config::Config;
use crate::domain::sealed::Key;
use base64::Engine;
use std::path::{Path, PathBuf};

/// The key and where it came from (named in errors, never the key itself).
pub struct MasterKey {
    pub key: Key,
    pub source: String,
    /// Made by this start: a database with sealed rows then means the old key was lost.
    pub created: bool,
}

/// The file the key is read from when `TAPIN_MASTER_KEY` is not set.
pub fn default_path(config: &Config) -> PathBuf {
    if !config.master_key_file.is_empty() {
        return PathBuf::from(&config.master_key_file);
    }
    if let Some(db) = sqlite_file(&config.database_url) {
        if let Some(dir) = db.parent() {
            return dir.join("master.key");
        }
    }
    PathBuf::from("data/master.key")
}

/// The database file of a `sqlite:` URL (none for in-memory databases).
fn sqlite_file(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && !path.starts_with(":memory:")).then(|| PathBuf::from(path))
}

pub fn load(config: &Config) -> Result<MasterKey, String> {
    if let Ok(text) = std::env::var("TAPIN_MASTER_KEY") {
        let key = parse(&text).map_err(|why| format!("TAPIN_MASTER_KEY: {why}"))?;
        return Ok(MasterKey {
            key,
            source: "TAPIN_MASTER_KEY".into(),
            created: false,
        });
    }
    load_file(&default_path(config))
}

pub fn load_file(path: &Path) -> Result<MasterKey, String> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => {
            warn_if_readable_by_others(path);
            let key = parse(&text).map_err(|why| format!("master key file {shown}: {why}"))?;
            Ok(MasterKey {
                key,
                source: shown,
                created: false,
            })
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let key: Key = super::random_bytes::<32>();
            write_new(path, &key).map_err(|e| format!("creating master key file {shown}: {e}"))?;
            tracing::warn!(path = %shown, "created a new master key: back it up (without it the sealed secrets cannot be read)");
            Ok(MasterKey {
                key,
                source: shown,
                created: true,
            })
        }
        Err(e) => Err(format!("reading master key file {shown}: {e}")),
    }
}

/// 32 bytes as base64 (standard or URL-safe, padded or not) or 64 hex digits.
pub fn parse(text: &str) -> Result<Key, String> {
    let t = text.trim();
    let bytes = if t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()) {
        hex::decode(t).ok()
    } else {
        use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
        STANDARD
            .decode(t)
            .or_else(|_| URL_SAFE_NO_PAD.decode(t.trim_end_matches('=')))
            .ok()
    };
    bytes
        .and_then(|b| Key::try_from(b.as_slice()).ok())
        .ok_or_else(|| "must hold 32 bytes as base64 or 64 hex digits".to_string())
}

/// The text a key file holds (base64 and a newline).
pub fn encode(key: &Key) -> String {
    format!(
        "{}\n",
        base64::engine::general_purpose::STANDARD.encode(key)
    )
}

fn write_new(path: &Path, key: &Key) -> std::io::Result<()> {
    use std::io::Write;
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut f = options.open(path)?;
    f.write_all(encode(key).as_bytes())?;
    f.sync_all()
}

fn warn_if_readable_by_others(path: &Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            if meta.permissions().mode() & 0o077 != 0 {
                tracing::warn!(path = %path.display(), "the master key file can be read by other users: chmod 600 it");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_is_created_0600_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/master.key");
        let first = load_file(&path).unwrap();
        assert!(first.created);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let again = load_file(&path).unwrap();
        assert!(!again.created);
        assert_eq!(again.key, first.key);
    }

    #[test]
    fn a_damaged_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        std::fs::write(&path, "not a key").unwrap();
        let err = load_file(&path).err().unwrap();
        assert!(
            err.contains("master.key") && err.contains("32 bytes"),
            "{err}"
        );
    }

    #[test]
    fn keys_parse_as_base64_or_hex() {
        let key = [9u8; 32];
        assert_eq!(parse(&encode(&key)).unwrap(), key);
        assert_eq!(parse(&hex::encode(key)).unwrap(), key);
        assert!(parse("c2hvcnQ=").is_err());
    }

    #[test]
    fn the_default_file_sits_beside_the_sqlite_database() {
        let mut c = Config::default();
        assert_eq!(default_path(&c), PathBuf::from("data/master.key"));
        c.database_url = "sqlite:///var/lib/tapin/tapin.db?mode=rwc".into();
        assert_eq!(default_path(&c), PathBuf::from("/var/lib/tapin/master.key"));
        c.database_url = "postgres://db/tapin".into();
        assert_eq!(default_path(&c), PathBuf::from("data/master.key"));
        c.master_key_file = "/etc/tapin/key".into();
        assert_eq!(default_path(&c), PathBuf::from("/etc/tapin/key"));
    }
}
