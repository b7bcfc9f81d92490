//! Global keyboard shortcuts and the shortcut list.
//!
//! One `keydown` listener on the document (added on mount, dropped on unmount) reads the
//! latest handlers from a ref, so it is never re-registered. Keys are ignored while typing
//! in a text field or a `<select>`, and whenever Ctrl, Alt or Meta is held. Space and →
//! are left to the focused control when it handles them itself (a button, a slider, a
//! radio). `.` and `,` (next / previous phase) belong to the step bar
//! (`step_panel.rs`); they are listed here.

use super::i18n::{use_lang, Lang};
use gloo::events::{EventListener, EventListenerOptions};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlElement, KeyboardEvent};
use yew::prelude::*;

/// What the shortcuts do.
#[derive(Clone, PartialEq)]
pub struct Shortcuts {
    /// Space: play / pause.
    pub play: Callback<()>,
    /// →: one update (in step mode: the next phase).
    pub step: Callback<()>,
    /// R: reset.
    pub reset: Callback<()>,
    /// P: presenter mode on / off.
    pub presenter: Callback<()>,
    /// L: switch the language.
    pub lang: Callback<()>,
    /// ?: open / close the shortcut list.
    pub help: Callback<()>,
    /// Escape while the list is open: close it.
    pub close_help: Callback<()>,
    /// Whether the list is open (then only `?` and Escape act).
    pub help_open: bool,
}

/// The element a key event is aimed at.
fn target(ev: &KeyboardEvent) -> Option<web_sys::Element> {
    ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok())
}

/// A field that takes typed keys: text inputs, text areas, selects, editable content.
pub(crate) fn is_text_field(el: &web_sys::Element) -> bool {
    let tag = el.tag_name().to_ascii_lowercase();
    let typ = el.get_attribute("type").unwrap_or_default().to_ascii_lowercase();
    tag == "textarea"
        || tag == "select"
        || (tag == "input" && !matches!(typ.as_str(), "checkbox" | "radio" | "button" | "range" | "submit"))
        || el.get_attribute("contenteditable").is_some_and(|v| v != "false")
}

/// A control that handles Space or arrow keys itself.
fn handles_space_or_arrows(el: &web_sys::Element) -> bool {
    let tag = el.tag_name().to_ascii_lowercase();
    let role = el.get_attribute("role").unwrap_or_default();
    matches!(tag.as_str(), "button" | "input" | "a" | "summary")
        || matches!(role.as_str(), "button" | "radio" | "checkbox" | "slider" | "tab" | "switch")
}

/// Installs the shortcuts for the lifetime of the calling component.
#[hook]
pub fn use_shortcuts(shortcuts: Shortcuts) {
    let latest = use_mut_ref(|| shortcuts.clone());
    *latest.borrow_mut() = shortcuts;
    use_effect_with((), move |_| {
        let latest: Rc<RefCell<Shortcuts>> = latest;
        let listener = EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            EventListenerOptions::enable_prevent_default(),
            move |ev| {
                let Some(ev) = ev.dyn_ref::<KeyboardEvent>() else { return };
                if ev.ctrl_key() || ev.meta_key() || ev.alt_key() || ev.default_prevented() || ev.repeat() && ev.key() != "ArrowRight" {
                    return;
                }
                let el = target(ev);
                if el.as_ref().is_some_and(is_text_field) {
                    return;
                }
                let s = latest.borrow().clone();
                let key = ev.key();
                if s.help_open {
                    if key == "Escape" || key == "?" {
                        ev.prevent_default();
                        s.close_help.emit(());
                    }
                    return;
                }
                let own = el.as_ref().is_some_and(handles_space_or_arrows);
                let cb = match key.as_str() {
                    " " | "Spacebar" if !own => &s.play,
                    "ArrowRight" if !own => &s.step,
                    "r" | "R" => &s.reset,
                    "p" | "P" => &s.presenter,
                    "l" | "L" => &s.lang,
                    "?" => &s.help,
                    _ => return,
                };
                ev.prevent_default();
                cb.emit(());
            },
        );
        move || drop(listener)
    });
}

/// Props of [`ShortcutList`].
#[derive(Properties, PartialEq)]
pub struct ShortcutListProps {
    /// Closes the list.
    pub on_close: Callback<()>,
}

/// The shortcut rows: keys and what they do.
fn rows(lang: Lang) -> Vec<(&'static str, &'static str)> {
    vec![
        (lang.pick("Space", "空格"), lang.pick("play / pause", "播放 / 暂停")),
        ("→", lang.pick("one update (in step mode: next phase)", "执行一次更新（单步模式下：下一阶段）")),
        (".", lang.pick("next phase (step mode)", "下一阶段（单步模式）")),
        (",", lang.pick("previous phase (step mode)", "上一阶段（单步模式）")),
        ("R", lang.pick("reset to the same initial weights", "重置为相同的初始权重")),
        ("P", lang.pick("presenter mode on / off", "开启 / 关闭演示模式")),
        ("L", lang.pick("switch language (English / 中文)", "切换语言（English / 中文）")),
        ("?", lang.pick("show this list", "显示本列表")),
        ("Esc", lang.pick("close this list", "关闭本列表")),
    ]
}

/// The shortcut list, a modal dialog: it takes the focus when it opens, keeps Tab inside,
/// closes on Escape, on its button or a click outside, and gives the focus back to
/// where it was.
#[component]
pub fn ShortcutList(props: &ShortcutListProps) -> Html {
    let lang = use_lang();
    let close_ref = use_node_ref();
    {
        let close_ref = close_ref.clone();
        use_effect_with((), move |_| {
            let before = gloo::utils::document().active_element().and_then(|e| e.dyn_into::<HtmlElement>().ok());
            if let Some(b) = close_ref.cast::<HtmlElement>() {
                let _ = b.focus();
            }
            move || {
                if let Some(b) = before {
                    let _ = b.focus();
                }
            }
        });
    }
    let close = props.on_close.reform(|_: MouseEvent| ());
    let backdrop = {
        let on_close = props.on_close.clone();
        Callback::from(move |ev: MouseEvent| {
            if ev.target() == ev.current_target() {
                on_close.emit(());
            }
        })
    };
    // The close button is the only focusable element: Tab stays on it.
    let trap = {
        let close_ref = close_ref.clone();
        Callback::from(move |ev: KeyboardEvent| {
            if ev.key() == "Tab" {
                ev.prevent_default();
                if let Some(b) = close_ref.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    html! {
        <div class="modal-backdrop" onclick={backdrop}>
            <div class="modal" role="dialog" aria-modal="true" aria-labelledby="shortcuts-title" data-testid="shortcuts"
                onkeydown={trap}>
                <h2 id="shortcuts-title">{ lang.pick("Keyboard shortcuts", "键盘快捷键") }</h2>
                <table class="shortcut-table">
                    <tbody>
                        { for rows(lang).into_iter().map(|(k, what)| html! {
                            <tr><th scope="row"><kbd>{ k }</kbd></th><td>{ what }</td></tr>
                        }) }
                    </tbody>
                </table>
                <p class="muted small">{ lang.pick(
                    "Keys do nothing while you type in a field. Tab moves between controls; Enter or Space presses the focused one.",
                    "在输入框中打字时快捷键不起作用。Tab 键在控件间移动，回车或空格键按下当前控件。") }</p>
                <button type="button" class="btn" data-testid="shortcuts-close" ref={close_ref} onclick={close}>
                    { lang.pick("Close", "关闭") }</button>
            </div>
        </div>
    }
}
