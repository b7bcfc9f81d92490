//! The timeline: play/pause, step, reset, new weights, speed, and the counters.

use super::controls::select_with;
use super::engine::Summary;
use super::glossary::{gloss, Term};
use super::i18n::{use_lang, Lang};
use crate::train::playground::{Speed, SPEEDS};
use yew::prelude::*;

/// Props of [`Timeline`].
#[derive(Properties, PartialEq)]
pub struct TimelineProps {
    /// Whether training runs.
    pub playing: bool,
    /// Counters.
    pub summary: Summary,
    /// Index into [`SPEEDS`].
    pub speed: usize,
    /// Play / pause.
    pub on_play: Callback<()>,
    /// One update.
    pub on_step: Callback<()>,
    /// Back to the same initial weights.
    pub on_reset: Callback<()>,
    /// Draw new initial weights.
    pub on_new_weights: Callback<()>,
    /// Sets the speed.
    pub on_speed: Callback<usize>,
}

/// Text for a speed setting.
pub fn speed_label(s: Speed, lang: Lang) -> String {
    match (s, lang) {
        (Speed::Updates(1), Lang::En) => "1 update / frame".into(),
        (Speed::Updates(k), Lang::En) => format!("{k} updates / frame"),
        (Speed::Epochs(1), Lang::En) => "1 epoch / frame".into(),
        (Speed::Epochs(k), Lang::En) => format!("{k} epochs / frame"),
        (Speed::Max, Lang::En) => "fastest".into(),
        (Speed::Updates(k), Lang::Zh) => format!("每帧 {k} 次更新"),
        (Speed::Epochs(k), Lang::Zh) => format!("每帧 {k} 轮"),
        (Speed::Max, Lang::Zh) => "最快".into(),
    }
}

/// The timeline bar.
#[component]
pub fn Timeline(props: &TimelineProps) -> Html {
    let lang = use_lang();
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    let s = &props.summary;
    html! {
        <div class="timeline">
            <button type="button" class={classes!("btn", "btn-play", props.playing.then_some("playing"))} data-testid="play"
                aria-pressed={props.playing.to_string()} onclick={click(&props.on_play)}
                title={lang.pick("Play / pause (Space)", "播放 / 暂停（空格键）")}>
                <span aria-hidden="true">{ if props.playing { "❚❚ " } else { "▶ " } }</span>
                { if props.playing { lang.pick("Pause", "暂停") } else { lang.pick("Play", "播放") } }
            </button>
            <button type="button" class="btn" data-testid="step" onclick={click(&props.on_step)}
                title={lang.pick("One update (→)", "执行一次更新（→）")}>{ lang.pick("Step", "单步") }</button>
            <button type="button" class="btn" data-testid="reset" onclick={click(&props.on_reset)}
                title={lang.pick("Back to the same initial weights (R)", "回到相同的初始权重（R）")}>{ lang.pick("Reset", "重置") }</button>
            <button type="button" class="btn secondary" data-testid="new-weights" onclick={click(&props.on_new_weights)}
                title={lang.pick("Draw new initial weights", "重新随机生成初始权重")}>{ lang.pick("New weights", "新权重") }</button>
            { select_with("speed", lang.pick("Speed", "速度"), None, SPEEDS.iter().enumerate().map(|(i, s)| (i, speed_label(*s, lang))).collect(),
                &props.speed, props.on_speed.clone()) }
            <dl class="counters">
                <div><dt>{ lang.pick("Epoch", "轮次") }{ gloss(Term::Epoch) }</dt><dd data-testid="epoch">{ s.epoch }</dd></div>
                <div><dt>{ lang.pick("Updates", "更新次数") }{ gloss(Term::Update) }</dt><dd data-testid="updates">{ s.updates }</dd></div>
                <div class="secondary"><dt>{ lang.pick("Learning rate", "学习率") }</dt><dd data-testid="current-lr">{ format!("{:.4e}", s.lr) }</dd></div>
            </dl>
        </div>
    }
}
