//! Preferences kept in `localStorage` (language, presenter mode, palette). Storage may be
//! missing or refuse writes (private windows, quotas); then the defaults apply and nothing fails.

use super::i18n::Lang;
use crate::viz::Palette;

/// Key of the UI language (`en` / `zh-CN`).
pub const LANG: &str = "gradlab.lang";
/// Key of presenter mode (`1` / `0`).
pub const PRESENTER: &str = "gradlab.presenter";
/// Key of the colour palette (`orange-blue` / `purple-green`).
pub const PALETTE: &str = "gradlab.palette";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

/// The stored value of `key`.
pub fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

/// Stores `value` under `key` (ignored when storage is unavailable).
pub fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(key, value);
    }
}

/// The language to start in: the remembered one, else the browser's (`zh…` → Chinese),
/// else English.
pub fn initial_lang() -> Lang {
    if let Some(l) = get(LANG).as_deref().and_then(Lang::from_code) {
        return l;
    }
    let nav = web_sys::window().map(|w| w.navigator());
    let mut codes: Vec<String> = Vec::new();
    if let Some(n) = nav {
        codes.extend(n.languages().iter().filter_map(|v| v.as_string()));
        if let Some(l) = n.language() {
            codes.push(l);
        }
    }
    // The first language the browser prefers that the app has.
    codes.iter().find_map(|c| Lang::from_code(c)).unwrap_or_default()
}

/// Whether presenter mode was on.
pub fn initial_presenter() -> bool {
    get(PRESENTER).as_deref() == Some("1")
}

/// The remembered palette.
pub fn initial_palette() -> Palette {
    match get(PALETTE).as_deref() {
        Some("purple-green") => Palette::PurpleGreen,
        _ => Palette::OrangeBlue,
    }
}

/// The storage name of a palette.
pub fn palette_code(p: Palette) -> &'static str {
    match p {
        Palette::OrangeBlue => "orange-blue",
        Palette::PurpleGreen => "purple-green",
    }
}
