//! Save, share, export: copy the link (`share`), export / import the experiment file
//! (`export`, `import`), and export the per-step trace as CSV (`export-csv`).
//! Formats and checks are pure code in `crate::train::exchange`.

use super::banner::{Level, Message};
use super::engine::EngineHandle;
use super::i18n::{use_lang, Lang};
use super::download;
use crate::train::exchange;
use crate::train::lessons;
use crate::train::playground::Playground;
use crate::train::url::encode;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use yew::platform::spawn_local;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Most rows of the CSV trace (replaying more would hold the page up for seconds).
pub const MAX_CSV_ROWS: u64 = 20_000;

/// Props of [`ShareBar`].
#[derive(Properties, PartialEq)]
pub struct ShareBarProps {
    /// The current configuration.
    pub config: Playground,
    /// The engine (read when a button is pressed: updates made so far).
    pub engine: EngineHandle,
    /// Loads an imported configuration from its initial weights.
    pub on_import: Callback<Playground>,
    /// Shows a message in the banner.
    pub on_message: Callback<Message>,
}

#[derive(Clone, Copy, PartialEq)]
enum Copied {
    No,
    Yes,
    Manual,
}

fn page_url(p: &Playground) -> String {
    let loc = web_sys::window().map(|w| w.location());
    let base = loc.and_then(|l| Some(format!("{}{}{}", l.origin().ok()?, l.pathname().ok()?, l.search().ok()?))).unwrap_or_default();
    format!("{base}#{}", encode(p))
}

/// A message in the language it was written in (the bar writes it in the current one).
fn msg(level: Level, text: String) -> Message {
    Message { level, en: text.clone(), zh: text }
}

fn title_of(p: &Playground, lang: Lang) -> String {
    match lessons::find(p) {
        Some(i) => {
            let l = &lessons::all()[i];
            lang.pick(l.title.0, l.title.1).to_string()
        }
        None => "gradlab playground".to_string(),
    }
}

/// The share / export / import bar.
#[component]
pub fn ShareBar(props: &ShareBarProps) -> Html {
    let lang = use_lang();
    let copied = use_state(|| Copied::No);
    let url_field = use_node_ref();
    let link = page_url(&props.config);

    let on_share = {
        let copied = copied.clone();
        let link = link.clone();
        Callback::from(move |_: MouseEvent| {
            let clipboard = web_sys::window().map(|w| w.navigator().clipboard()).filter(|c| !JsValue::from(c).is_undefined());
            match clipboard {
                Some(c) => {
                    let written = JsFuture::from(c.write_text(&link));
                    let copied = copied.clone();
                    spawn_local(async move {
                        copied.set(if written.await.is_ok() { Copied::Yes } else { Copied::Manual });
                    });
                }
                None => copied.set(Copied::Manual),
            }
        })
    };

    let on_export = {
        let config = props.config.clone();
        let engine = props.engine.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |_: MouseEvent| {
            let steps = engine.0.borrow().trainer.updates();
            let result = exchange::export(&config, Some(title_of(&config, lang)), steps)
                .and_then(|text| download::text(&text, "gradlab-experiment.json", "application/json"));
            if let Err(e) = result {
                on_message.emit(msg(Level::Error, format!("{}{e}", lang.pick("Export failed: ", "导出失败："))));
            }
        })
    };

    let on_csv = {
        let config = props.config.clone();
        let engine = props.engine.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |_: MouseEvent| {
            let updates = engine.0.borrow().trainer.updates();
            let result = exchange::trace_csv(&config, updates, MAX_CSV_ROWS)
                .and_then(|(text, rows)| download::text(&text, "gradlab-trace.csv", "text/csv").map(|_| rows));
            match result {
                Ok(rows) if rows < updates => on_message.emit(msg(
                    Level::Notice,
                    match lang {
                        Lang::En => format!("The CSV holds the first {rows} of the {updates} updates."),
                        Lang::Zh => format!("CSV 包含 {updates} 次更新中的前 {rows} 次。"),
                    },
                )),
                Ok(_) => {}
                Err(e) => on_message.emit(msg(Level::Error, format!("{}{e}", lang.pick("CSV export failed: ", "CSV 导出失败：")))),
            }
        })
    };

    let on_file = {
        let on_import = props.on_import.clone();
        let on_message = props.on_message.clone();
        Callback::from(move |e: Event| {
            let Some(input) = e.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok()) else { return };
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            // Choosing the same file again must fire `change` again.
            input.set_value("");
            let name = file.name();
            let (on_import, on_message) = (on_import.clone(), on_message.clone());
            let read = JsFuture::from(file.text());
            spawn_local(async move {
                let Some(text) = read.await.ok().and_then(|v| v.as_string()) else {
                    on_message.emit(msg(Level::Error, lang.pick("The file could not be read.", "无法读取该文件。").to_string()));
                    return;
                };
                match exchange::import(&text) {
                    Ok(p) => {
                        on_import.emit(p);
                        on_message.emit(msg(
                            Level::Notice,
                            match lang {
                                Lang::En => format!("Imported “{name}”."),
                                Lang::Zh => format!("已导入“{name}”。"),
                            },
                        ));
                    }
                    Err(e) => on_message.emit(msg(
                        Level::Error,
                        match lang {
                            Lang::En => format!("Could not import “{name}” — {e}. The current settings are kept."),
                            Lang::Zh => format!("无法导入“{name}”——{e}。当前设置保持不变。"),
                        },
                    )),
                }
            });
        })
    };

    // Without a clipboard, select the link so that Ctrl+C copies it.
    {
        let url_field = url_field.clone();
        use_effect_with(*copied, move |c| {
            if *c == Copied::Manual {
                select_field(&url_field);
            }
        });
    }
    let status = match *copied {
        Copied::No => None,
        Copied::Yes => Some(lang.pick("Link copied to the clipboard.", "链接已复制到剪贴板。")),
        Copied::Manual => Some(lang.pick("Copy the selected link (Ctrl+C).", "请复制选中的链接（Ctrl+C）。")),
    };
    html! {
        <div class="share-bar" role="group" aria-label={lang.pick("save and share", "保存与分享").to_string()}>
            <button type="button" class="btn btn-small" data-testid="share" onclick={on_share}
                title={lang.pick("Copy a link that opens exactly this setup", "复制可打开当前设置的链接").to_string()}>
                { lang.pick("Share link", "分享链接") }</button>
            <button type="button" class="btn btn-small" data-testid="export" onclick={on_export}
                title={lang.pick("Download the experiment as a JSON file", "将实验下载为 JSON 文件").to_string()}>
                { lang.pick("Export JSON", "导出 JSON") }</button>
            <label class="btn btn-small file-btn" title={lang.pick("Load an experiment JSON file", "载入实验 JSON 文件").to_string()}>
                { lang.pick("Import JSON", "导入 JSON") }
                <input type="file" accept=".json,application/json" data-testid="import" onchange={on_file}
                    aria-label={lang.pick("Import an experiment JSON file", "导入实验 JSON 文件").to_string()} />
            </label>
            <button type="button" class="btn btn-small" data-testid="export-csv" onclick={on_csv}
                title={lang.pick(
                    "Download loss, learning rate and gradient norms of every update so far as CSV (replayed from the initial weights)",
                    "将目前每次更新的损失、学习率与梯度范数下载为 CSV（从初始权重重放）").to_string()}>
                { lang.pick("Trace CSV", "轨迹 CSV") }</button>
            if let Some(text) = status {
                <span class="share-status small" data-testid="share-status" role="status">{ text }</span>
                <input ref={url_field} class="share-url" data-testid="share-url" readonly=true value={link}
                    aria-label={lang.pick("Link to this setup", "当前设置的链接").to_string()} />
            }
        </div>
    }
}

fn select_field(field: &NodeRef) {
    if let Some(i) = field.cast::<HtmlInputElement>() {
        let _ = i.focus();
        i.select();
    }
}
