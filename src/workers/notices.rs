//! Commits on the other nodes of the same database (PostgreSQL LISTEN/NOTIFY)
//! wake this node's live streams and long-polls, as local commits do. The
//! notice carries ids only: listeners re-read the rows, so a lost notice
//! delays a stream until the next one, and never loses data.

use crate::service::{App, Notice};

/// Forwards the other nodes' notices into this node's bus; nothing to do on SQLite.
pub async fn spawn(app: App) -> Result<(), String> {
    let Some(mut rx) = app
        .store
        .listen()
        .await
        .map_err(|e| format!("listening for other nodes' commits: {e}"))?
    else {
        return Ok(());
    };
    tokio::spawn(async move {
        while let Some(payload) = rx.recv().await {
            if let Some(n) = Notice::from_wire(&payload, &app.node_id) {
                app.deliver(n);
            }
        }
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::Notice;

    #[test]
    fn a_node_reads_others_notices_and_skips_its_own() {
        let n = Notice {
            organization_id: "o".into(),
            handoff_id: Some("h".into()),
            conversation_id: None,
        };
        let wire = n.to_wire("node-a");
        assert_eq!(Notice::from_wire(&wire, "node-b"), Some(n));
        assert_eq!(Notice::from_wire(&wire, "node-a"), None);
        assert_eq!(Notice::from_wire("not json", "node-b"), None);
    }
}
