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
    let pkg = format!("/{}/{}", options.site_pkg_dir, options.output_name);
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
