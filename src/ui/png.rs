//! Saving a chart as PNG: [`save`] for any canvas, and the small [`SavePng`] button that
//! components put next to their canvases.

use super::download;
use super::i18n::use_lang;
use web_sys::HtmlCanvasElement;
use yew::prelude::*;

/// Saves the canvas's current pixels as a PNG file named `file_name`.
pub fn save(canvas: &HtmlCanvasElement, file_name: &str) -> Result<(), String> {
    let data = canvas.to_data_url_with_type("image/png").map_err(|_| "the canvas cannot be read")?;
    download::url(&data, file_name)
}

/// Props of [`SavePng`].
#[derive(Properties, PartialEq)]
pub struct SavePngProps {
    /// The canvas to save.
    pub canvas: NodeRef,
    /// File name (`gradlab-loss.png`).
    pub file_name: AttrValue,
    /// `data-testid` of the button.
    pub testid: AttrValue,
    /// What the chart is, in English and Chinese (for the button's label).
    pub what: (AttrValue, AttrValue),
}

/// A small "PNG" button that saves a canvas.
#[component]
pub fn SavePng(props: &SavePngProps) -> Html {
    let lang = use_lang();
    let onclick = {
        let canvas = props.canvas.clone();
        let name = props.file_name.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(c) = canvas.cast::<HtmlCanvasElement>() {
                let _ = save(&c, &name);
            }
        })
    };
    let (en, zh) = (format!("Save the {} as PNG", props.what.0), format!("将{}保存为 PNG", props.what.1));
    let label = lang.pick(&en, &zh).to_string();
    html! {
        <button type="button" class="btn btn-tiny btn-png" data-testid={props.testid.clone()} {onclick}
            title={label.clone()} aria-label={label}>{ "PNG ⤓" }</button>
    }
}
