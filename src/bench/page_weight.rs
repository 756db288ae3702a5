//! Section 1, Page weight of the handoff page `/m/<id>` (a takeover, an
//! approval, an assist): the first HTML response (raw, gzip, brotli; does it
//! hold the whole packet?), the assets it loads to become interactive (CSS, JS
//! glue, WASM), how long the first response takes, and (full mode)
//! Lighthouse's mobile audit, whose reports are kept in `target/lighthouse/`.

use super::client::{id_of, Api};
use super::fixtures::{customer_line, takeover_packet};
use super::report::{kb, ms, percentile, Report};
use super::server::Server;
use super::Params;
use crate::ui::loader::PHONE_DIR;
use serde_json::Value;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// One TCP initial window (10 segments), as the goal counts it.
const FIRST_RESPONSE_GOAL: usize = 14 * 1024;
const ASSETS_GOAL: usize = 150 * 1024;

pub struct Pages {
    pub takeover: String,
    pub approval: String,
    pub assist: String,
}

/// Where the Lighthouse reports are kept (relative to the repository root).
const REPORTS: &str = "target/lighthouse";

pub async fn run(r: &mut Report, s: &Server, p: &Params, site_root: &Path) -> Result<(), String> {
    r.section("1. page weight of /m/<id>");
    let api = &s.api;
    // A realistic takeover: the packet and a 30-message transcript.
    let (_, takeover) = api.takeover(30, "page").await?;
    let takeover_id = id_of(&takeover)?;
    // An approval on a short conversation, decidable by the operator (role billing_manager).
    let cid = api.conversation().await?;
    for i in 0..4 {
        api.message(
            &cid,
            if i % 2 == 0 { "user" } else { "agent" },
            &customer_line(i),
        )
        .await?;
    }
    let approval = api.approval(&cid, Some("billing_manager")).await?;
    let approval_id = id_of(&approval)?;
    let assist = api.post_ok("/api/v1/handoffs", &assist_handoff()).await?;
    let assist_id = id_of(&assist)?;
    let pages = Pages {
        takeover: format!("/m/{takeover_id}"),
        approval: format!("/m/{approval_id}"),
        assist: format!("/m/{assist_id}"),
    };

    let mut takeover_must = vec![];
    let packet = takeover_packet();
    for k in ["static_text", "reason", "summary", "transfer_label"] {
        takeover_must.push(packet[k].as_str().unwrap_or_default().to_string());
    }
    if let Some(vars) = packet["context_vars"].as_object() {
        for (k, v) in vars {
            takeover_must.push(k.clone());
            takeover_must.push(match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            });
        }
    }
    let messages: Vec<String> = (0..30).map(customer_line).collect();
    // The approval's packet: the subject, each payload field and value, the customer's line.
    let approval_must: Vec<String> = [
        "billing.refund.create",
        "invoice",
        "INV-2024-0891",
        "amount",
        "currency",
        "USD",
        "duplicate charge",
        "notify_customer",
        "Checking your refund with the billing team, one moment.",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // The assist's question, what it is stuck on and where (the screen itself is an image).
    let assist_must: Vec<String> = [
        ASSIST_QUESTION,
        "twofa on login.example.com",
        "https://login.example.com/verify",
        "agent_outbound_sf",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();

    let mut html = String::new();
    for (name, path, must, msgs) in [
        ("takeover", &pages.takeover, &takeover_must, &messages[..]),
        ("approval", &pages.approval, &approval_must, &messages[..4]),
        ("assist", &pages.assist, &assist_must, &messages[..0]),
    ] {
        let body = page(api, path, &s.cookie).await?;
        let (gz, br) = (gzip(body.as_bytes()), brotli(body.as_bytes()));
        r.figure(
            &format!("{name}: first HTML response"),
            &format!("raw {} · gzip {} · br {}", kb(body.len()), kb(gz), kb(br)),
            Some(("≤ 14 KB gzip", gz <= FIRST_RESPONSE_GOAL)),
        );
        let visible = without_scripts(&body);
        let script_bytes = body.len() - visible.len();
        let missing: Vec<&String> = must
            .iter()
            .chain(msgs.iter())
            .filter(|m| !visible.contains(&escape(m)))
            .collect();
        r.figure(
            &format!("{name}: packet in the first response"),
            &format!(
                "{} of {} fields and messages in the HTML",
                must.len() + msgs.len() - missing.len(),
                must.len() + msgs.len()
            ),
            Some(("all (readable w/o JS)", missing.is_empty())),
        );
        if let Some(m) = missing.first() {
            r.note(&format!("not in the HTML outside <script>: {m:?}"));
        }
        r.note(&format!(
            "{name}: {} of the raw HTML is inside <script> (hydration data and loader)",
            kb(script_bytes)
        ));
        let served = api
            .http
            .get(format!("{}{path}", api.base))
            .header("cookie", &s.cookie)
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .map_err(|e| e.to_string())?;
        let encoding = served
            .headers()
            .get("content-encoding")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("none")
            .to_string();
        let wire = served.bytes().await.map_err(|e| e.to_string())?.len();
        r.figure(
            &format!("{name}: HTML as served (accepts br, gzip)"),
            &format!("{} on the wire, content-encoding: {encoding}", kb(wire)),
            None,
        );
        if name == "takeover" {
            html = body;
        }
    }

    assets(r, s, site_root, &html).await?;
    first_response_time(r, s, p, &pages.takeover).await?;
    if p.quick {
        r.skipped(
            "Lighthouse (mobile)",
            "full mode only (`tapin bench` without --quick)",
        );
    } else {
        for (name, path) in [
            ("takeover", &pages.takeover),
            ("approval", &pages.approval),
            ("assist", &pages.assist),
        ] {
            lighthouse(r, s, name, path, site_root).await;
        }
    }
    Ok(())
}

async fn page(api: &Api, path: &str, cookie: &str) -> Result<String, String> {
    let res = api
        .http
        .get(format!("{}{path}", api.base))
        .header("cookie", cookie)
        .timeout(Duration::from_secs(30))
        .send()
        .await
        .map_err(|e| format!("GET {path}: {e}"))?;
    if res.status() != 200 {
        return Err(format!("GET {path}: {}", res.status()));
    }
    res.text().await.map_err(|e| format!("GET {path}: {e}"))
}

/// The JS, WASM and CSS in `<site>/pkg` and its `phone/` module: raw, and
/// brotli as cargo-leptos precompressed it (`-P` writes `.br` beside each
/// file), compressed here if not. Names are relative to `pkg`.
async fn assets(r: &mut Report, s: &Server, site_root: &Path, html: &str) -> Result<(), String> {
    let pkg = site_root.join("pkg");
    let mut names = pkg_files(&pkg, "").map_err(|e| {
        format!(
            "reading {}: {e} (build the site first: scripts/build-site.sh)",
            pkg.display()
        )
    })?;
    names.extend(pkg_files(&pkg, PHONE_DIR).unwrap_or_default());
    // The JS glue of the page's module: the split loader it imports is loaded too.
    let glue =
        std::fs::read_to_string(pkg.join(module_dir(html)).join("tapin.js")).unwrap_or_default();
    let mut files: Vec<(String, usize, usize, bool, usize)> = Vec::new();
    let mut precompressed = true;
    for name in names {
        let raw = std::fs::read(pkg.join(&name)).map_err(|e| e.to_string())?;
        let br = match std::fs::metadata(pkg.join(format!("{name}.br"))) {
            Ok(m) => m.len() as usize,
            Err(_) => {
                precompressed = false;
                brotli(&raw)
            }
        };
        let loaded = loaded_by_page(html, &glue, &name);
        // What this server sends when the browser accepts br and gzip.
        let wire = s
            .api
            .http
            .get(format!("{}/pkg/{name}", s.base))
            .header("accept-encoding", "br, gzip")
            .send()
            .await
            .map_err(|e| e.to_string())?
            .bytes()
            .await
            .map_err(|e| e.to_string())?
            .len();
        files.push((name, raw.len(), br, loaded, wire));
    }
    files.sort_by_key(|f| std::cmp::Reverse(f.2));
    let total_br: usize = files.iter().filter(|f| f.3).map(|f| f.2).sum();
    let total_raw: usize = files.iter().filter(|f| f.3).map(|f| f.1).sum();
    let total_wire: usize = files.iter().filter(|f| f.3).map(|f| f.4).sum();
    // What the page does not load, summed per module on one line each: the
    // lazy pages' chunks (`--split`), and the other module's files.
    let mut unloaded: Vec<(&str, usize, usize, usize)> = Vec::new();
    for (name, raw, br, loaded, wire) in &files {
        if *loaded {
            r.figure(
                &format!("  {name}"),
                &format!("raw {} · br {} · served {}", kb(*raw), kb(*br), kb(*wire)),
                None,
            );
            continue;
        }
        let dir = if name.starts_with(PHONE_DIR) {
            PHONE_DIR
        } else {
            ""
        };
        match unloaded.iter_mut().find(|u| u.0 == dir) {
            Some(u) => (u.1, u.2, u.3) = (u.1 + 1, u.2 + raw, u.3 + br),
            None => unloaded.push((dir, 1, *raw, *br)),
        }
    }
    for (dir, n, raw, br) in unloaded {
        r.figure(
            &format!("  {n} other files in pkg/{dir} (not loaded)"),
            &format!("raw {} · br {}", kb(raw), kb(br)),
            None,
        );
    }
    r.figure(
        "JS + WASM + CSS to become interactive",
        &format!(
            "br {} (raw {}, served {})",
            kb(total_br),
            kb(total_raw),
            kb(total_wire)
        ),
        Some(("≤ 150 KB br", total_br <= ASSETS_GOAL)),
    );
    if let Some((name, _, br, _, _)) = files.iter().find(|f| f.3) {
        r.note(&format!(
            "largest: {name}, {} of the {} brotli total ({:.0} %)",
            kb(*br),
            kb(total_br),
            100.0 * *br as f64 / total_br.max(1) as f64
        ));
    }
    if !precompressed {
        r.note("no .br files beside the assets (not built with -P): brotli computed here at quality 11");
    }
    Ok(())
}

/// The JS, WASM and CSS files directly in `pkg/<dir>`, named `<dir><file>`.
fn pkg_files(pkg: &Path, dir: &str) -> std::io::Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(pkg.join(dir))?.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.ends_with(".js") || name.ends_with(".wasm") || name.ends_with(".css") {
            names.push(format!("{dir}{name}"));
        }
    }
    Ok(names)
}

/// The directory under `/pkg/` of the browser module the page loads: `phone/`
/// when its loader names the phone pages' module, else the full module's `""`.
fn module_dir(html: &str) -> &'static str {
    if html.contains(&format!("/pkg/{PHONE_DIR}")) {
        PHONE_DIR
    } else {
        ""
    }
}

/// Whether the page downloads `name` (relative to `/pkg/`) to become
/// interactive: the files its HTML names (the stylesheet, the JS glue), the
/// main WASM of the module it loads, and the split loader that module's JS
/// glue (`glue`) imports. The other chunks (`chunk_*.wasm`, `split_*.wasm`)
/// belong to lazy islands, and the other module's files to other pages.
fn loaded_by_page(html: &str, glue: &str, name: &str) -> bool {
    if html.contains(&format!("/pkg/{name}")) {
        return true;
    }
    let dir = module_dir(html);
    let Some(file) = name.strip_prefix(dir).filter(|f| !f.contains('/')) else {
        return false;
    };
    let split_chunk = file.starts_with("chunk_") || file.starts_with("split_");
    if file.ends_with(".wasm") {
        // The main module under whatever name the build gave it.
        return !split_chunk && html.contains("/pkg/");
    }
    file.ends_with(".js") && file.starts_with("__wasm_split") && glue.contains(&format!("./{file}"))
}

/// Median time of the first HTML response, over `p.page_requests` sequential
/// requests, against a trivial route timed in the same loop.
async fn first_response_time(
    r: &mut Report,
    s: &Server,
    p: &Params,
    path: &str,
) -> Result<(), String> {
    let (mut page_t, mut base_t) = (Vec::new(), Vec::new());
    let deadline = Instant::now() + p.loop_deadline;
    for _ in 0..p.page_requests {
        if Instant::now() > deadline {
            break;
        }
        let t = Instant::now();
        page(&s.api, path, &s.cookie).await?;
        page_t.push(t.elapsed());
        let t = Instant::now();
        s.api.get("/api/v1/healthz").await?;
        base_t.push(t.elapsed());
    }
    let med = |v: &[Duration]| percentile(v, 50.0).unwrap_or_default();
    r.figure(
        "takeover page: first HTML response time",
        &format!(
            "median {} · p95 {} (n={})",
            ms(med(&page_t)),
            ms(percentile(&page_t, 95.0).unwrap_or_default()),
            page_t.len()
        ),
        None,
    );
    r.figure(
        "  ratio to GET /api/v1/healthz (same loop)",
        &format!(
            "{:.1}× (healthz median {})",
            med(&page_t).as_secs_f64() / med(&base_t).as_secs_f64().max(1e-9),
            ms(med(&base_t))
        ),
        None,
    );
    Ok(())
}

/// How many times Lighthouse audits each page (`TAPIN_BENCH_LIGHTHOUSE_RUNS`,
/// 1 to 9, default 3). One run's TBT and LCP moved by a factor of two to four
/// between runs on these shared machines; the median of a few is what the
/// goals are judged on (as Lighthouse's own docs on variability advise).
fn lighthouse_runs() -> usize {
    std::env::var("TAPIN_BENCH_LIGHTHOUSE_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3usize)
        .clamp(1, 9)
}

/// One Lighthouse audit of the page: its report, or why there is none.
async fn lighthouse_once(
    s: &Server,
    name: &str,
    path: &str,
    run: usize,
) -> Result<(PathBuf, Value), String> {
    let out = s.dir.join(format!("lighthouse-{name}-{run}.json"));
    let headers = serde_json::json!({ "Cookie": s.cookie }).to_string();
    let output = tokio::time::timeout(
        Duration::from_secs(300),
        tokio::process::Command::new("bash")
            .arg("scripts/lighthouse.sh")
            .arg(format!("{}{path}", s.base))
            .arg(&out)
            .arg(&headers)
            .kill_on_drop(true)
            .output(),
    )
    .await
    .map_err(|_| "Lighthouse did not finish within 300 s".to_string())?
    .map_err(|e| format!("could not run the script: {e}"))?;
    let report: Option<Value> = std::fs::read_to_string(&out)
        .ok()
        .and_then(|t| serde_json::from_str(&t).ok());
    report
        .filter(|_| output.status.success())
        .map(|r| (out, r))
        .ok_or_else(|| {
            let err = String::from_utf8_lossy(&output.stderr);
            let why = err
                .lines()
                .rev()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("no output");
            format!("Lighthouse failed: {why}")
        })
}

/// Lighthouse's mobile performance audit through `scripts/lighthouse.sh`,
/// a few runs per page: score, LCP and TBT are judged on their medians (each
/// run's value printed beside them); the other figures and the kept report
/// are those of the run whose TBT is the median.
async fn lighthouse(r: &mut Report, s: &Server, name: &str, path: &str, site_root: &Path) {
    let label = format!("{name}: Lighthouse mobile score");
    if !Path::new("scripts/lighthouse.sh").exists() {
        r.skipped(
            &label,
            "scripts/lighthouse.sh not found (run from the repository root)",
        );
        return;
    }
    let mut runs = Vec::new();
    for run in 0..lighthouse_runs() {
        match lighthouse_once(s, name, path, run).await {
            Ok(done) => runs.push(done),
            Err(why) => return r.skipped(&label, &why),
        }
    }
    let numeric = |report: &Value, id: &str| report["audits"][id]["numericValue"].as_f64();
    let score_of = |report: &Value| {
        report["categories"]["performance"]["score"]
            .as_f64()
            .map(|s| s * 100.0)
    };
    runs.sort_by(|a, b| {
        let tbt = |r: &Value| numeric(r, "total-blocking-time").unwrap_or(f64::MAX);
        tbt(&a.1).total_cmp(&tbt(&b.1))
    });
    let (out, report) = &runs[runs.len() / 2];
    let reports: Vec<&Value> = runs.iter().map(|(_, r)| r).collect();
    // The median of one value over the runs, with every run's value.
    let median = |values: Vec<f64>, fmt: &dyn Fn(f64) -> String| -> Option<(f64, String)> {
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        let mid = *sorted.get(sorted.len() / 2)?;
        let each = values
            .iter()
            .map(|v| fmt(*v))
            .collect::<Vec<_>>()
            .join(", ");
        Some((
            mid,
            if values.len() > 1 {
                format!("{} (runs: {each})", fmt(mid))
            } else {
                fmt(mid)
            },
        ))
    };
    let kept = Path::new(REPORTS).join(format!("lighthouse-{name}.json"));
    if std::fs::create_dir_all(REPORTS).is_ok() && std::fs::copy(out, &kept).is_ok() {
        r.note(&format!(
            "{name}: Lighthouse report kept in {} (the median-TBT run of {})",
            kept.display(),
            runs.len()
        ));
    }
    let scores: Vec<f64> = reports.iter().filter_map(|r| score_of(r)).collect();
    match median(scores, &|v| format!("{v:.0}")) {
        Some((sc, text)) => r.figure(&label, &text, Some(("≥ 98", sc >= 98.0))),
        None => r.skipped(&label, "no performance score in the report"),
    }
    let of = |id: &str| {
        reports
            .iter()
            .filter_map(|r| numeric(r, id))
            .collect::<Vec<f64>>()
    };
    if let Some((lcp, text)) = median(of("largest-contentful-paint"), &|v| {
        format!("{:.2} s", v / 1000.0)
    }) {
        r.figure(
            &format!("{name}: LCP (simulated slow 4G)"),
            &text,
            Some(("≤ 1.5 s", lcp <= 1500.0)),
        );
    }
    if let Some((tbt, text)) = median(of("total-blocking-time"), &|v| format!("{v:.0} ms")) {
        r.figure(
            &format!("{name}: TBT"),
            &text,
            Some(("≤ 50 ms", tbt <= 50.0)),
        );
    }
    let audit = |id: &str| report["audits"][id]["numericValue"].as_f64();
    // What the page really fetched from /pkg/ (lazy islands' chunks included,
    // which its HTML does not name): encoded bytes with headers.
    if let Some(items) = report["audits"]["network-requests"]["details"]["items"].as_array() {
        let pkg = site_root.join("pkg");
        let (total, files, unfinished) = pkg_bytes(items, |file| {
            let br = pkg.join(format!("{file}.br"));
            std::fs::metadata(&br)
                .or_else(|_| std::fs::metadata(pkg.join(file)))
                .map(|m| m.len() as f64)
                .unwrap_or(0.0)
        });
        let note = if unfinished > 0 {
            format!(" ({unfinished} not finished when Lighthouse stopped: counted at their brotli size)")
        } else {
            String::new()
        };
        r.figure(
            &format!("{name}: JS + WASM + CSS fetched (Lighthouse)"),
            &format!("{} in {files} files{note}", kb(total as usize)),
            Some(("≤ 150 KB", total <= ASSETS_GOAL as f64)),
        );
    }
    if let Some(bytes) = audit("total-byte-weight") {
        r.figure(
            &format!("{name}: transferred (Lighthouse)"),
            &kb(bytes as usize),
            None,
        );
    }
    for id in ["first-contentful-paint", "interactive"] {
        if let Some(v) = audit(id) {
            r.figure(
                &format!("{name}: {id}"),
                &format!("{:.2} s", v / 1000.0),
                None,
            );
        }
    }
    if let Some(why) = lcp_inputs(report) {
        r.note(&format!("{name}: {why}"));
    }
}

/// Bytes of the page's `/pkg/` requests: (total, files, unfinished). A request
/// Lighthouse stopped before it finished has no transfer size; it still
/// belongs to the page, so it counts at `on_disk(file name)`.
fn pkg_bytes(items: &[Value], on_disk: impl Fn(&str) -> f64) -> (f64, usize, usize) {
    let (mut total, mut files, mut unfinished) = (0.0, 0, 0);
    for q in items {
        let Some(file) = q["url"]
            .as_str()
            .and_then(|u| u.split_once("/pkg/"))
            .map(|(_, f)| f.split(['?', '#']).next().unwrap_or(f))
        else {
            continue;
        };
        files += 1;
        match q["transferSize"].as_f64().filter(|b| *b > 0.0) {
            Some(b) => total += b,
            None => {
                unfinished += 1;
                total += on_disk(file);
            }
        }
    }
    (total, files, unfinished)
}

/// What Lighthouse's simulated LCP is made of: its estimate counts every
/// request the unthrottled page load started before its own (observed)
/// largest paint, so a download started early, even if nothing on screen
/// needs it, pushes the simulated LCP out.
fn lcp_inputs(report: &Value) -> Option<String> {
    let observed = report["audits"]["metrics"]["details"]["items"][0]
        ["observedLargestContentfulPaint"]
        .as_f64()?;
    let element = report["audits"]["largest-contentful-paint-element"]["details"]["items"][0]
        ["items"][0]["node"]["selector"]
        .as_str()
        .unwrap_or("?");
    let before: Vec<String> = report["audits"]["network-requests"]["details"]["items"]
        .as_array()?
        .iter()
        .filter(|q| {
            q["networkRequestTime"]
                .as_f64()
                .is_some_and(|t| t <= observed)
        })
        .filter_map(|q| q["url"].as_str())
        .map(|u| {
            let path = u.split_once("://").map_or(u, |(_, rest)| rest);
            let path = path.find('/').map_or(path, |i| &path[i..]);
            path.split('?').next().unwrap_or(path).to_string()
        })
        .collect();
    Some(format!(
        "LCP element {element}, observed at {observed:.0} ms unthrottled; requests started by then: {}",
        before.join(", ")
    ))
}

const ASSIST_QUESTION: &str = "Type the code sent to the phone";

/// An assist handoff as a browser agent sends it: stuck on a two-factor
/// screen, with a desktop-sized screenshot.
fn assist_handoff() -> Value {
    use base64::Engine;
    let png = screenshot_png(1280, 800);
    serde_json::json!({
        "kind": "assist",
        "agent_id": "agent_outbound_sf",
        "interruption_type": "twofa",
        "domain": "login.example.com",
        "url": "https://login.example.com/verify",
        "question": ASSIST_QUESTION,
        "input": "code",
        "capture": {
            "screenshot": base64::engine::general_purpose::STANDARD.encode(png),
            "viewport": {"width": 1280, "height": 800},
        },
    })
}

/// A grayscale PNG that compresses like a screenshot of a sign-in page: a
/// dark header, lines of "text" (noise), a field and a button on white.
fn screenshot_png(w: u32, h: u32) -> Vec<u8> {
    let mut seed: u32 = 0x2545_f491;
    let mut raw = Vec::with_capacity(((w + 1) * h) as usize);
    for y in 0..h {
        raw.push(0); // filter: none
        let text_line = (160..400).contains(&y) && y % 28 < 14;
        for x in 0..w {
            seed ^= seed << 13;
            seed ^= seed >> 17;
            seed ^= seed << 5;
            let v = if y < 64 {
                0x1f
            } else if text_line && (440..840).contains(&x) {
                if seed.is_multiple_of(3) {
                    0x30
                } else {
                    0xff
                }
            } else if (440..520).contains(&y) && (440..840).contains(&x) {
                if y == 440 || y == 519 || x == 440 || x == 839 {
                    0x90
                } else {
                    0xff
                }
            } else if (560..610).contains(&y) && (440..600).contains(&x) {
                0x3a
            } else {
                0xff
            };
            raw.push(v);
        }
    }
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&raw).expect("writing to memory");
    let idat = z.finish().expect("writing to memory");
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&w.to_be_bytes());
    ihdr.extend_from_slice(&h.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit grayscale, no interlace
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    for (kind, data) in [(&b"IHDR"[..], &ihdr[..]), (b"IDAT", &idat), (b"IEND", &[])] {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    }
    png
}

fn gzip(data: &[u8]) -> usize {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).expect("writing to memory");
    e.finish().expect("writing to memory").len()
}

fn brotli(data: &[u8]) -> usize {
    let params = brotli::enc::BrotliEncoderParams {
        quality: 11,
        lgwin: 22,
        ..Default::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &data[..], &mut out, &params).expect("writing to memory");
    out.len()
}

/// The document without the contents of its `<script>` elements: what a
/// reader sees before (or without) JavaScript.
fn without_scripts(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(start) = rest.find("<script") {
        out.push_str(&rest[..start]);
        match rest[start..].find("</script>") {
            Some(end) => rest = &rest[start + end + "</script>".len()..],
            None => {
                rest = "";
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text as the server escapes it in HTML.
fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_assist_screenshot_is_a_png_of_a_screenshots_weight() {
        let png = super::screenshot_png(1280, 800);
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        assert!(png.ends_with(&[0xae, 0x42, 0x60, 0x82]), "IEND's CRC");
        assert!((5_000..200_000).contains(&png.len()), "{} bytes", png.len());
    }

    #[test]
    fn a_chunk_lighthouse_did_not_finish_still_counts() {
        let items: Vec<serde_json::Value> = serde_json::from_str(
            r#"[{"url": "http://h/pkg/tapin.wasm", "transferSize": 1000},
                {"url": "http://h/pkg/chunk_9.wasm?v=1", "transferSize": 0},
                {"url": "http://h/m/abc", "transferSize": 500}]"#,
        )
        .unwrap();
        let on_disk = |f: &str| if f == "chunk_9.wasm" { 300.0 } else { 0.0 };
        assert_eq!(super::pkg_bytes(&items, on_disk), (1300.0, 2, 1));
    }

    #[test]
    fn a_page_on_the_phone_module_counts_that_module_only() {
        let html = r#"<link rel="stylesheet" href="/pkg/tapin.css"/>
            <script>((js, wasm) => {})("/pkg/phone/tapin.js", "/pkg/phone/tapin.wasm");</script>"#;
        let glue = "import('./__wasm_split.______.js')";
        let loaded = |name| super::loaded_by_page(html, glue, name);
        for name in [
            "tapin.css",
            "phone/tapin.js",
            "phone/tapin.wasm",
            "phone/__wasm_split.______.js",
        ] {
            assert!(loaded(name), "{name}");
        }
        for name in [
            "tapin.js",
            "tapin.wasm",
            "chunk_3.wasm",
            "phone/split_assist_1.wasm",
            "__wasm_split.______.js",
        ] {
            assert!(!loaded(name), "{name}");
        }
    }

    #[test]
    fn a_page_on_the_full_module_counts_that_module_only() {
        let html = r#"<script>((js, wasm) => {})("/pkg/tapin.js", "/pkg/tapin.wasm");</script>"#;
        let loaded = |name| super::loaded_by_page(html, "", name);
        assert!(loaded("tapin.wasm") && loaded("tapin.js"));
        assert!(
            !loaded("phone/tapin.wasm") && !loaded("phone/tapin.js") && !loaded("chunk_1.wasm")
        );
    }

    #[test]
    fn scripts_are_cut_out() {
        let html = "<p>a</p><script>var x = 'b';</script><p>c</p><script type=module>d</script>";
        assert_eq!(super::without_scripts(html), "<p>a</p><p>c</p>");
    }
}
