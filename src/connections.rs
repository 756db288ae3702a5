//! tapin's accept loop, in place of `axum::serve`.
//!
//! Why not `axum::serve`: it hands each connection to hyper-util's
//! auto-detecting server, which first reads up to 24 bytes to tell HTTP/1
//! from HTTP/2 and gives them back to hyper as a first, short read. hyper
//! then grows its 8 KB read buffer to 16 KB on the next read, and an open SSE
//! stream keeps that buffer for as long as it lives (RSS per idle stream 18.5
//! → 15.0 KB without it, docs/performance.md, memory). tapin speaks HTTP/1.1
//! only (HTTP/2 was not compiled in under `axum::serve` either), so each
//! connection goes straight to hyper's HTTP/1 server and its buffer stays at
//! 8 KB. hyper's header read timeout stays off, as it was (it needs a timer).
//!
//! Also: every connection gets `TCP_NODELAY` (a response written in pieces
//! otherwise waits ~40 ms for the client's delayed ACK), the peer address
//! (`ConnectInfo`: sign-in attempts are limited per client address), and the
//! drain at shutdown is bounded (open streams never finish on their own).

use axum::extract::ConnectInfo;
use hyper::body::Incoming;
use hyper_util::rt::TokioIo;
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use hyper_util::service::TowerToHyperService;
use std::future::Future;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::{TcpListener, TcpStream};
use tower::ServiceExt;

/// After the shutdown signal, what is in flight gets this long to finish.
const DRAIN_WITHIN: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `shutdown` completes, then drains.
pub async fn serve(
    listener: TcpListener,
    router: axum::Router,
    shutdown: impl Future<Output = ()>,
) {
    let graceful = GracefulShutdown::new();
    let mut shutdown = std::pin::pin!(shutdown);
    loop {
        let (tcp, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(c) => c,
                Err(e) => {
                    // Out of file descriptors, mostly: give the open ones a
                    // moment to close instead of spinning on the error.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(100)).await;
                    continue;
                }
            },
            () = &mut shutdown => break,
        };
        tokio::spawn(connection(tcp, peer, router.clone(), graceful.watcher()));
    }
    drop(listener);
    if tokio::time::timeout(DRAIN_WITHIN, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::info!("connections still open after the drain (streams); closing them");
    }
}

async fn connection(tcp: TcpStream, peer: SocketAddr, router: axum::Router, watcher: Watcher) {
    if let Err(e) = tcp.set_nodelay(true) {
        tracing::debug!(error = %e, "could not set TCP_NODELAY");
    }
    let service = TowerToHyperService::new(tower::service_fn(
        move |req: axum::http::Request<Incoming>| {
            let mut req = req.map(axum::body::Body::new);
            req.extensions_mut().insert(ConnectInfo(peer));
            router.clone().oneshot(req)
        },
    ));
    let conn =
        hyper::server::conn::http1::Builder::new().serve_connection(TokioIo::new(tcp), service);
    if let Err(e) = watcher.watch(conn).await {
        tracing::debug!(error = %e, "connection ended with an error");
    }
}
