//! Local stand-ins for the outside world: an SMTP server that keeps what it is
//! sent, and an HTTP endpoint (Slack, SMS or voice provider) that records requests.

use axum::http::HeaderMap;
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::sync::mpsc;

#[derive(Debug, Clone)]
pub struct Mail {
    pub rcpt: Vec<String>,
    /// Headers and body, quoted-printable soft breaks and `=3D` undone.
    pub data: String,
}

/// An SMTP sink on 127.0.0.1: returns its `smtp://` URL and the mails it accepts.
pub async fn smtp_sink() -> (String, mpsc::UnboundedReceiver<Mail>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("smtp://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    tokio::spawn(async move {
        loop {
            let (sock, _) = listener.accept().await.unwrap();
            let tx = tx.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 sink ESMTP\r\n").await.unwrap();
                let mut rcpt = Vec::new();
                while let Ok(Some(line)) = lines.next_line().await {
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "EHLO" | "HELO" => b"250 sink\r\n",
                        "RCPT" => {
                            rcpt.push(line[8..].trim().to_string());
                            b"250 OK\r\n"
                        }
                        "DATA" => {
                            w.write_all(b"354 go on\r\n").await.unwrap();
                            let mut data = String::new();
                            while let Ok(Some(l)) = lines.next_line().await {
                                if l == "." {
                                    break;
                                }
                                data.push_str(&l);
                                data.push('\n');
                            }
                            let data = data.replace("=\n", "").replace("=3D", "=");
                            let _ = tx.send(Mail {
                                rcpt: std::mem::take(&mut rcpt),
                                data,
                            });
                            b"250 queued\r\n"
                        }
                        "QUIT" => {
                            w.write_all(b"221 bye\r\n").await.unwrap();
                            break;
                        }
                        _ => b"250 OK\r\n",
                    };
                    w.write_all(reply).await.unwrap();
                }
            });
        }
    });
    (url, rx)
}

#[derive(Debug, Clone)]
pub struct Request {
    pub path: String,
    pub headers: HeaderMap,
    pub body: String,
}

/// An HTTP endpoint answering 200 to every POST: returns its base URL and the requests.
pub async fn http_sink() -> (String, mpsc::UnboundedReceiver<Request>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    let app = axum::Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: String| {
            let tx = tx.clone();
            async move {
                let _ = tx.send(Request {
                    path: uri.path().to_string(),
                    headers,
                    body,
                });
                "ok"
            }
        },
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx)
}

/// The next item, or a failed test after 20 s.
pub async fn next<T>(rx: &mut mpsc::UnboundedReceiver<T>) -> T {
    tokio::time::timeout(std::time::Duration::from_secs(20), rx.recv())
        .await
        .expect("something arrives within 20 s")
        .expect("the sink is running")
}

/// An HTTP endpoint that records each POST as it arrives and then holds it
/// without an answer until `release` is sent `true` (a receiver that stalls).
pub async fn stalling_sink() -> (
    String,
    mpsc::UnboundedReceiver<Request>,
    tokio::sync::watch::Sender<bool>,
) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (tx, rx) = mpsc::unbounded_channel();
    let (release, released) = tokio::sync::watch::channel(false);
    let app = axum::Router::new().fallback(
        move |uri: axum::http::Uri, headers: HeaderMap, body: String| {
            let (tx, mut released) = (tx.clone(), released.clone());
            async move {
                let _ = tx.send(Request {
                    path: uri.path().to_string(),
                    headers,
                    body,
                });
                let _ = released.wait_for(|r| *r).await;
                "ok"
            }
        },
    );
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (url, rx, release)
}
