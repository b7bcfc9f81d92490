//! The last session in `localStorage`: the configuration's URL hash under one key.
//! Storage may be missing, full, disabled or hold anything; none of that is an error.

use crate::train::playground::Playground;
use crate::train::url::{decode, encode};

/// The `localStorage` key.
pub const KEY: &str = "gradlab.session";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// Remembers the configuration (silently does nothing when storage is unavailable).
pub fn save(p: &Playground) {
    if let Some(s) = storage() {
        let _ = s.set_item(KEY, &encode(p));
    }
}

/// The stored configuration, if there is one that reads cleanly; anything else is
/// removed and ignored.
pub fn load() -> Option<Playground> {
    let s = storage()?;
    let text = s.get_item(KEY).ok()??;
    let (p, notices) = decode(&text);
    if text.len() > 100_000 || !notices.is_empty() {
        let _ = s.remove_item(KEY);
        return None;
    }
    Some(p)
}
