//! Reading and writing the configuration in the URL hash.

use crate::train::playground::Playground;
use crate::train::url::{decode, encode, Notice};

/// The current hash, without `#`.
pub fn read() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .map(|h| h.trim_start_matches('#').to_string())
        .unwrap_or_default()
}

/// The configuration in the hash and what was wrong with it; with no hash, the last
/// session from `localStorage`, else the defaults.
pub fn load() -> (Playground, Vec<Notice>) {
    let h = read();
    if h.is_empty() {
        (super::session::load().unwrap_or_default(), Vec::new())
    } else {
        decode(&h)
    }
}

/// Writes the configuration to the hash without adding a history entry, and remembers it
/// as the last session.
pub fn store(p: &Playground) {
    super::session::save(p);
    let h = encode(p);
    if h == read() {
        return;
    }
    if let Some(w) = web_sys::window() {
        if let Ok(history) = w.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&format!("#{h}")));
        }
    }
}

/// Whether the page was opened with the panic self-test (`#debug-panic`).
pub fn debug_panic() -> bool {
    read().split('&').any(|kv| kv == "debug-panic")
}
