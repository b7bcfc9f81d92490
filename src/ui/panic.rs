//! A panic must never leave a blank page: the hook logs the panic and shows the
//! `error-banner` with a readable message and a reload button, built with plain DOM
//! calls so it works even when the Yew tree is broken.

use wasm_bindgen::JsCast;

/// Installs the hook (through Yew, so its renderer does not replace it with its own).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let msg = info.to_string();
        web_sys::console::error_1(&format!("gradlab panicked: {msg}").into());
        show(&msg);
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
    add(
        "strong",
        "Something went wrong inside gradlab. 程序出错了。",
        &[],
    );
    add("p", &format!("The page stopped to protect your work. Details: {msg}"), &[("class", "banner-detail")]);
    add(
        "button",
        "Reload 重新加载",
        &[("data-testid", "reload"), ("type", "button"), ("class", "btn"), ("onclick", "location.reload()")],
    );
}
