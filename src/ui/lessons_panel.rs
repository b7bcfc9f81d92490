//! The lessons picker (`data-testid="lessons"`): one button per lesson loads its whole
//! configuration; the explanation of the loaded lesson (what to watch, what to try) and its
//! link are shown below, in the current language.

use super::i18n::use_lang;
use crate::train::lessons::{self, Lesson};
use crate::train::playground::Playground;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// Props of [`LessonsPanel`].
#[derive(Properties, PartialEq)]
pub struct LessonsPanelProps {
    /// The current configuration (a lesson is "loaded" while it matches).
    pub config: Playground,
    /// Loads a configuration from its initial weights.
    pub on_load: Callback<Playground>,
}

/// Scrolls to the optimizer lab without touching the URL hash (which holds the configuration).
fn to_lab(e: MouseEvent) {
    e.prevent_default();
    if let Some(el) = gloo::utils::document().get_element_by_id("lab") {
        el.scroll_into_view();
        if let Some(h) = el.dyn_ref::<web_sys::HtmlElement>() {
            let _ = h.focus();
        }
    }
}

/// The lessons picker and the loaded lesson's explanation.
#[component]
pub fn LessonsPanel(props: &LessonsPanelProps) -> Html {
    let lang = use_lang();
    let all = use_memo((), |_| lessons::all());
    // The lesson clicked last, so its text stays while the student changes settings.
    let last = use_state(|| None::<usize>);
    let current = lessons::find(&props.config);
    let shown = current.or(*last);
    let buttons = all.iter().enumerate().map(|(i, l)| {
        let onclick = {
            let on_load = props.on_load.clone();
            let last = last.clone();
            let cfg = l.config.clone();
            Callback::from(move |_: MouseEvent| {
                last.set(Some(i));
                on_load.emit(cfg.clone());
            })
        };
        let active = current == Some(i);
        html! {
            <li>
                <button type="button" class={classes!("lesson-btn", active.then_some("active"))}
                    data-testid={format!("lesson-{}", l.id)} aria-pressed={active.to_string()} {onclick}
                    title={lang.pick(l.title.0, l.title.1).to_string()}>
                    <span class="lesson-num" aria-hidden="true">{ i + 1 }</span>
                    <span class="lesson-title">{ lang.pick(l.short.0, l.short.1) }</span>
                </button>
            </li>
        }
    });
    let detail = shown.and_then(|i| all.get(i).map(|l| (i, l))).map(|(i, l): (usize, &Lesson)| {
        let changed = current != Some(i);
        let reload = {
            let on_load = props.on_load.clone();
            let cfg = l.config.clone();
            Callback::from(move |e: MouseEvent| {
                // The link's target is this page with the lesson's hash: load it in place.
                e.prevent_default();
                on_load.emit(cfg.clone())
            })
        };
        html! {
            <div class="lesson-text" data-testid="lesson-text" aria-live="polite">
                <h3>{ format!("{}. {}", i + 1, lang.pick(l.title.0, l.title.1)) }
                    if changed {
                        <span class="lesson-changed small">{ lang.pick(" — settings changed since loading", " — 载入后设置已更改") }</span>
                    }
                    <span class="lesson-actions small">
                        <a href={format!("#{}", l.hash())} data-testid="lesson-link" onclick={reload.clone()}
                            title={lang.pick("A link that opens this lesson (right-click to copy)", "打开本课的链接（右键复制）").to_string()}>
                            { lang.pick("link to this lesson", "本课链接") }</a>
                        if changed {
                            { " · " }<button type="button" class="btn btn-tiny" data-testid="lesson-reload" onclick={reload}>
                                { lang.pick("load it again", "重新载入") }</button>
                        }
                    </span>
                </h3>
                <p><b>{ lang.pick("Watch: ", "观察：") }</b>{ lang.pick(l.watch.0, l.watch.1) }</p>
                <p><b>{ lang.pick("Try: ", "试一试：") }</b>{ lang.pick(l.try_this.0, l.try_this.1) }
                    if l.id == "ravine" {
                        { " " }<a href="#lab" onclick={Callback::from(to_lab)} data-testid="lesson-lab-link">
                            { lang.pick("Go to the optimizer lab ↓", "前往优化器实验室 ↓") }</a>
                    }
                </p>
            </div>
        }
    });
    html! {
        <section class="region lessons" data-testid="lessons" aria-label={lang.pick("lessons", "课程").to_string()}>
            <h2 class="lessons-heading">{ lang.pick("Lessons", "课程") }</h2>
            <ol class="lesson-list">{ for buttons }</ol>
            { detail.unwrap_or_else(|| html! {
                <p class="small muted lesson-hint">{ lang.pick(
                    "Pick a lesson: it sets the data, network and optimizer, and explains what to watch.",
                    "选择一课：它会设置数据、网络和优化器，并说明要观察什么。") }</p>
            }) }
        </section>
    }
}
