//! The Yew user interface (wasm32 only). The trainer lives outside Yew state in an
//! [`engine::Engine`] behind `Rc<RefCell<…>>`; a `requestAnimationFrame` loop trains
//! and draws straight to canvases, and only small summaries go into Yew state.

pub mod app;
pub mod banner;
pub mod canvas;
pub mod controls;
pub mod download;
pub mod engine;
pub mod glossary;
pub mod hash;
pub mod i18n;
pub mod inspector;
pub mod keyboard;
pub mod lab;
pub mod lessons_panel;
pub mod link_worker;
pub mod loss_chart;
pub mod lr_chart;
pub mod mathml;
pub mod network_view;
pub mod output_plot;
pub mod panic;
pub mod scrubber;
pub mod prefs;
pub mod race_chart;
pub mod race_panel;
pub mod png;
pub mod session;
pub mod share_bar;
pub mod step_panel;
pub mod surface_canvas;
pub mod surface_view;
pub mod timeline;
pub mod weight_select;

use wasm_bindgen::JsCast;

/// Mounts the app into `#app` (or `<body>`), after installing the panic hook.
pub fn start() {
    panic::install();
    let document = gloo::utils::document();
    let root = match document.get_element_by_id("app") {
        Some(el) => {
            el.set_inner_html("");
            el
        }
        None => document.body().expect("page has a body").unchecked_into(),
    };
    yew::Renderer::<app::App>::with_root(root).render();
}
