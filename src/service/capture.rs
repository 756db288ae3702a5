//! An assist's captured browser: the checks on what the agent sends (sizes
//! after decoding, PNG/JPEG by magic bytes, viewport range) and sealing it
//! with the organization's data key before it reaches the store.

use super::{now, App};
use crate::domain::assist::{ImageType, Viewport, BROWSER_STATE_MAX, DOM_MAX, SCREENSHOT_MAX};
use crate::domain::limits::FieldProblem;
use crate::domain::records::{SealedFrame, SealedState};
use crate::domain::sealed::assist_label;
use crate::error::{AppError, FieldError};
use serde_json::{json, Value};

/// The agent's captured browser, as sent (base64 screenshot).
#[derive(Clone, Debug)]
pub struct Capture {
    pub screenshot: String,
    pub viewport: Viewport,
    pub dom_snapshot: Option<String>,
    pub cookies: Option<Value>,
    pub storage: Option<Value>,
}

/// A frame checked and decoded, not yet sealed.
pub(super) struct Image {
    bytes: Vec<u8>,
    kind: ImageType,
    viewport: Viewport,
}

pub(super) fn invalid(problems: Vec<FieldProblem>) -> AppError {
    AppError::invalid(
        problems
            .into_iter()
            .map(|p| FieldError {
                field: p.field,
                message: p.message,
            })
            .collect(),
    )
}

fn path(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Decodes and checks a screenshot and its viewport; problems name the field
/// under `prefix` (`capture.screenshot`, `capture.viewport.width`, …).
pub(super) fn check_image(
    screenshot: &str,
    viewport: Viewport,
    prefix: &str,
    problems: &mut Vec<FieldProblem>,
) -> Option<Image> {
    use base64::Engine;
    problems.extend(viewport.check(&path(prefix, "viewport")));
    let field = path(prefix, "screenshot");
    let max_kib = SCREENSHOT_MAX / 1024;
    // Refused before decoding: 4 base64 characters carry 3 bytes.
    if screenshot.len() > SCREENSHOT_MAX.div_ceil(3) * 4 + 4 {
        problems.push(FieldProblem::new(
            field,
            format!("must be at most {max_kib} KiB once decoded"),
        ));
        return None;
    }
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(screenshot.trim()) else {
        problems.push(FieldProblem::new(
            field,
            "must be base64 (standard alphabet)",
        ));
        return None;
    };
    if bytes.len() > SCREENSHOT_MAX {
        problems.push(FieldProblem::new(
            field,
            format!("must be at most {max_kib} KiB once decoded"),
        ));
        return None;
    }
    let Some(kind) = ImageType::sniff(&bytes) else {
        problems.push(FieldProblem::new(field, "must be a PNG or JPEG image"));
        return None;
    };
    Some(Image {
        bytes,
        kind,
        viewport,
    })
}

/// The DOM and the cookies + storage as they will be sealed.
pub(super) fn check_state(
    c: &Capture,
    problems: &mut Vec<FieldProblem>,
) -> (Option<String>, Option<String>) {
    if c.dom_snapshot.as_ref().is_some_and(|d| d.len() > DOM_MAX) {
        problems.push(FieldProblem::new(
            "capture.dom_snapshot",
            format!("must be at most {} KiB", DOM_MAX / 1024),
        ));
    }
    let state = (c.cookies.is_some() || c.storage.is_some())
        .then(|| json!({"cookies": c.cookies, "storage": c.storage}).to_string());
    if state.as_ref().is_some_and(|s| s.len() > BROWSER_STATE_MAX) {
        let field = if c.cookies.is_some() {
            "capture.cookies"
        } else {
            "capture.storage"
        };
        problems.push(FieldProblem::new(
            field,
            format!(
                "cookies and storage together must be at most {} KiB of JSON",
                BROWSER_STATE_MAX / 1024
            ),
        ));
    }
    (c.dom_snapshot.clone(), state)
}

pub(super) async fn seal(
    app: &App,
    org_id: &str,
    hid: &str,
    what: &str,
    clear: &[u8],
) -> Result<String, AppError> {
    app.keys
        .seal_org_bytes(&app.store, org_id, &assist_label(hid, what), clear)
        .await
}

pub(super) async fn seal_frame(
    app: &App,
    org_id: &str,
    hid: &str,
    img: Image,
) -> Result<SealedFrame, AppError> {
    Ok(SealedFrame {
        mime: img.kind.mime().to_string(),
        sealed: seal(app, org_id, hid, "frame", &img.bytes).await?,
        viewport: img.viewport,
        at: now(),
    })
}

pub(super) async fn seal_state(
    app: &App,
    org_id: &str,
    hid: &str,
    (dom, state): (Option<String>, Option<String>),
) -> Result<SealedState, AppError> {
    let mut out = SealedState::default();
    if let Some(d) = dom {
        out.dom_snapshot = Some(seal(app, org_id, hid, "dom", d.as_bytes()).await?);
    }
    if let Some(s) = state {
        out.browser_state = Some(seal(app, org_id, hid, "browser_state", s.as_bytes()).await?);
    }
    Ok(out)
}

/// The newest frame, opened: (seq, MIME type, bytes). Operators and the agent only.
pub async fn frame_image(
    app: &App,
    org_id: &str,
    id: &str,
) -> Result<(i64, String, Vec<u8>), AppError> {
    let (seq, f) = app
        .store
        .assist_frame(org_id, id)
        .await?
        .ok_or_else(|| AppError::not_found("frame"))?;
    let bytes = app
        .keys
        .open_org_bytes(&app.store, org_id, &assist_label(id, "frame"), &f.sealed)
        .await?;
    Ok((seq, f.mime, bytes))
}
