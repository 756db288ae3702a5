//! `tapin mcp --url … --key …`: for MCP clients that only start local
//! processes (stdio). JSON-RPC messages read from stdin go to `<url>/mcp`
//! with the API key; what the server answers is written to stdout. Both ends
//! are rmcp transports (stdio on one side, its Streamable HTTP client on the
//! other), so framing, protocol headers and versions are the SDK's.

use rmcp::transport::streamable_http_client::StreamableHttpClientTransportConfig;
use rmcp::transport::{StreamableHttpClientTransport, Transport};
use rmcp::RoleServer;

/// The `/mcp` endpoint of a tapin base URL (`https://tapin.example.com`).
pub fn endpoint(base: &str) -> Result<String, String> {
    let base = base.trim().trim_end_matches('/');
    if !(base.starts_with("http://") || base.starts_with("https://")) {
        return Err(format!(
            "--url must start with http:// or https:// (got `{base}`)"
        ));
    }
    let base = base.strip_suffix("/mcp").unwrap_or(base);
    Ok(format!("{base}/mcp"))
}

/// Relays until stdin closes or the server goes away.
pub async fn run(base: &str, key: &str) -> Result<(), String> {
    let key = key.trim();
    if !key.starts_with("tk_") {
        return Err("--key must be a tapin API key (tk_…)".into());
    }
    let uri = endpoint(base)?;
    // reqwest (via rmcp) is built without a TLS provider of its own: use ring,
    // as the rest of tapin does. Already installed is fine.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let config = StreamableHttpClientTransportConfig::with_uri(uri).auth_header(key.to_string());
    let mut http = StreamableHttpClientTransport::from_config(config);
    let (stdin, stdout) = rmcp::transport::stdio();
    let mut local =
        rmcp::transport::async_rw::AsyncRwTransport::<RoleServer, _, _>::new_server(stdin, stdout);
    loop {
        tokio::select! {
            from_client = local.receive() => match from_client {
                Some(message) => http
                    .send(message)
                    .await
                    .map_err(|e| format!("sending to the tapin server: {e}"))?,
                None => break,
            },
            from_server = http.receive() => match from_server {
                Some(message) => local
                    .send(message)
                    .await
                    .map_err(|e| format!("writing to stdout: {e}"))?,
                None => return Err("the tapin server closed the connection (is the URL right and the key valid?)".into()),
            },
        }
    }
    let _ = http.close().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::endpoint;

    #[test]
    fn the_endpoint_is_the_base_url_plus_mcp() {
        assert_eq!(
            endpoint("https://tapin.example.com/").unwrap(),
            "https://tapin.example.com/mcp"
        );
        assert_eq!(
            endpoint("http://127.0.0.1:3000/mcp").unwrap(),
            "http://127.0.0.1:3000/mcp"
        );
        assert!(endpoint("tapin.example.com").is_err());
    }
}
