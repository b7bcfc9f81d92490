//! A panic must never leave a blank page: the hook logs the panic and shows the
//! `error-banner` with a readable message and a reload button, built with plain DOM
//! calls so it works even when the Yew tree is broken.

use wasm_bindgen::JsCast;

/// Installs the hook (through Yew, so its renderer does not replace it with its own).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        // The message alone, in every build (the release build leaves file names and lines
        // out of panic locations anyway, and a reader of the page has no use for them).
        let msg = info.payload_as_str().unwrap_or("unknown error");
        web_sys::console::error_1(&format!("gradlab panicked: {msg}").into());
        show(msg);
    }));
}

fn show(msg: &str) {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let banner = match document.query_selector("[data-testid=error-banner]").ok().flatten() {
        Some(b) => b,
        None => {
            let Ok(b) = document.create_element("div") else {
                return;
            };
            let _ = b.set_attribute("data-testid", "error-banner");
            if let Some(body) = document.body() {
                let _ = body.prepend_with_node_1(&b);
            }
            b
        }
    };
    let _ = banner.set_attribute("class", "banner banner-error");
    let _ = banner.set_attribute("role", "alert");
    banner.remove_attribute("hidden").ok();
    if let Some(el) = banner.dyn_ref::<web_sys::HtmlElement>() {
        el.set_hidden(false);
    }
    banner.set_inner_html("");
    let add = |tag: &str, text: &str, attrs: &[(&str, &str)]| {
        if let Ok(el) = document.create_element(tag) {
            el.set_text_content(Some(text));
            for (k, v) in attrs {
                let _ = el.set_attribute(k, v);
            }
            let _ = banner.append_child(&el);
        }
    };
    // In the page's language (`<html lang>` follows the UI language), with the other
    // language beside the heading.
    let zh = document.document_element().and_then(|r| r.get_attribute("lang")).is_some_and(|l| l.starts_with("zh"));
    let pick = |en: &'static str, zh_text: &'static str| if zh { zh_text } else { en };
    add("strong", pick("Something went wrong inside gradlab. 程序出错了。", "程序出错了。Something went wrong inside gradlab."), &[]);
    let detail = if zh { format!("为保护你的工作，页面已停止运行。详细信息：{msg}") } else { format!("The page stopped to protect your work. Details: {msg}") };
    add("p", &detail, &[("class", "banner-detail")]);
    add("button", pick("Reload 重新加载", "重新加载 Reload"), &[("data-testid", "reload"), ("type", "button"), ("class", "btn")]);
    // A listener, not an inline `onclick` attribute (the Content-Security-Policy may forbid
    // inline handlers). The page is stopped, so the closure simply lives as long as it does.
    if let Ok(Some(button)) = banner.query_selector("[data-testid=reload]") {
        let reload = wasm_bindgen::closure::Closure::once_into_js(|| {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        });
        let _ = button.add_event_listener_with_callback("click", reload.unchecked_ref());
    }
}
