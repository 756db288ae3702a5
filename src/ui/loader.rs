//! The islands loader in the page's `<head>`, in place of the script Leptos's
//! `HydrationScripts` writes. Two differences, both for the first paint:
//!
//! - No `<link rel="modulepreload">` / `<link rel="preload" as="fetch">` for
//!   the JS glue, the WASM and the chunks of the page's lazy islands. A preload starts those downloads while the page
//!   is still being painted, and they then share the phone's bandwidth with
//!   the page (Lighthouse's simulated LCP counts every request started before
//!   the largest paint). Here they start after the first paint, when the page
//!   is already readable (it is complete HTML; islands only add behaviour).
//! - The islands hydrate one task each (a yield to the browser between them),
//!   so no single long task blocks input while the page comes alive.
//!
//! The walk over `<leptos-island>` / `<leptos-children>` is Leptos's own
//! (0.8 `island_script.js`), which the islands' generated code expects.

use leptos::hydration::HydrationScripts;
use leptos::prelude::*;

const LOADER: &str = r#"((js, wasm) => {
  const stack = [];
  const breathe = () => globalThis.scheduler && scheduler.yield
    ? scheduler.yield() : new Promise((r) => setTimeout(r, 0));
  async function island(el, id, mod) {
    const f = mod[id];
    if (!f) { console.warn(`no WASM function for the island ${id}`); return; }
    const cb = stack[stack.length - 1];
    if (cb) cb();
    const r = f(el);
    if (r && r.then) await r;
  }
  async function walk(node, mod) {
    if (node.nodeType !== 1) return;
    const tag = node.tagName;
    if (tag === 'LEPTOS-ISLAND') {
      await breathe();
      await island(node, node.dataset.component || null, mod);
      for (const c of [...node.children]) await walk(c, mod);
    } else if (tag === 'LEPTOS-CHILDREN') {
      stack.push(node.$$on_hydrate);
      for (const c of [...node.children]) await walk(c, mod);
      stack.pop();
    } else {
      for (const c of [...node.children]) await walk(c, mod);
    }
  }
  const start = () => import(js).then((mod) =>
    mod.default({ module_or_path: wasm }).then(() => {
      mod.hydrate();
      window.__hydrateIsland = (el, id) => island(el, id, mod);
      return walk(document.body, mod);
    }));
  // After the first paint: the frame's callback runs before it, the timeout after.
  requestAnimationFrame(() => setTimeout(start, 0));
})"#;

/// The page's hydration script (see the module comment).
#[component]
pub fn IslandsLoader(options: LeptosOptions) -> impl IntoView {
    if options.hash_files {
        // Hashed file names are Leptos's business: its loader as is.
        return view! { <HydrationScripts options islands=true/> }.into_any();
    }
    // As Leptos's component does in islands mode: no hydration markers
    // outside islands. It would also provide the split manifest, from which
    // the page's lazy islands get `<link rel="preload">`s for their chunks in
    // the head; without it they are fetched when the island hydrates, after
    // the first paint like everything else.
    if let Some(sc) = Owner::current_shared_context() {
        sc.set_is_hydrating(false);
    }
    let dir = module_dir(&options);
    let pkg = format!("/{}/{dir}{}", options.site_pkg_dir, options.output_name);
    // cargo-leptos names the bindgen output after the crate; without it
    // (a plain cargo build) wasm-bindgen's default `_bg` suffix applies.
    let wasm_suffix = if option_env!("LEPTOS_OUTPUT_NAME").is_some() {
        ""
    } else {
        "_bg"
    };
    let call = format!(
        "{LOADER}({:?}, {:?});",
        format!("{pkg}.js"),
        format!("{pkg}{wasm_suffix}.wasm")
    );
    let nonce = use_nonce();
    view! { <script type="module" nonce=nonce>{call}</script> }.into_any()
}

/// The phone pages' module: the same crate built with the `phone` feature
/// (scripts/build-site.sh), holding only the islands of `/m/<id>`, so a phone
/// does not download the code and strings of the desk and admin pages.
#[cfg(feature = "ssr")]
pub const PHONE_DIR: &str = "phone/";

/// Which build of the browser code the requested page loads: the phone
/// module's directory for `/m/…` when that module was built, else the full
/// module (`""`). A site built without the phone step still works everywhere.
/// Checked per page (one `stat`), so a site rebuilt under a running server
/// is followed.
fn module_dir(options: &LeptosOptions) -> &'static str {
    #[cfg(feature = "ssr")]
    {
        let phone_page = use_context::<axum::http::request::Parts>()
            .is_some_and(|p| is_phone_page(p.uri.path()));
        let built = || {
            std::path::Path::new(options.site_root.as_ref())
                .join(options.site_pkg_dir.as_ref())
                .join(PHONE_DIR)
                .join(format!("{}.wasm", options.output_name))
                .exists()
        };
        if phone_page && built() {
            return PHONE_DIR;
        }
    }
    let _ = options;
    ""
}

/// The pages the phone module serves: the signed handoff link and what hangs
/// under it. Their islands are the handoff page's (status, chat, decision,
/// quorum, countdown, assist screen); no desk or admin island appears there.
#[cfg(feature = "ssr")]
fn is_phone_page(path: &str) -> bool {
    path.starts_with("/m/")
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    #[test]
    fn only_the_signed_link_pages_load_the_phone_module() {
        use super::is_phone_page;
        assert!(is_phone_page("/m/01a23b8f-17a9-765d-86e1-c5931f41b9d1"));
        assert!(is_phone_page("/m/01a23b8f/decide"));
        for desk in [
            "/",
            "/inbox",
            "/admin",
            "/admin/routing",
            "/settings",
            "/login",
            "/mobile",
        ] {
            assert!(!is_phone_page(desk), "{desk}");
        }
    }
}
