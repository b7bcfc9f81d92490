//! The step-mode timeline: the recent updates as bars whose height is the batch loss.
//! Clicking a bar (or choosing it with the arrow keys and Enter) goes to that update —
//! back through the engine's snapshots, or forward by replaying the same steps.

use super::engine::EngineHandle;
use super::i18n::use_lang;
use super::mathml::num;
use yew::prelude::*;

/// Bars shown at most.
const SHOWN: usize = 60;

/// Props of [`Scrubber`].
#[derive(Properties, PartialEq)]
pub struct ScrubberProps {
    /// The engine.
    pub engine: EngineHandle,
    /// Re-render when this changes.
    pub version: u64,
    /// Goes to an update.
    pub on_go: Callback<u64>,
}

/// The timeline of recent updates.
#[component]
pub fn Scrubber(props: &ScrubberProps) -> Html {
    let lang = use_lang();
    let e = props.engine.0.borrow();
    let now = e.trainer.updates();
    let earliest = e.earliest_reachable();
    let entries: Vec<(u64, f64)> = {
        let all: Vec<(u64, f64)> = e.trainer.loss_log().iter().collect();
        all[all.len().saturating_sub(SHOWN)..].to_vec()
    };
    let max = entries.iter().map(|e| e.1).filter(|v| v.is_finite()).fold(0.0f64, f64::max).max(1e-12);
    let start_bar = {
        let go = props.on_go.clone();
        let reachable = earliest == 0;
        html! {
            <button type="button" class={classes!("tl-bar", "tl-start", (now == 0).then_some("current"))} disabled={!reachable}
                onclick={Callback::from(move |_: MouseEvent| go.emit(0))}
                aria-label={lang.pick("update 0: the initial weights", "第 0 次更新：初始权重").to_string()}
                title={lang.pick("initial weights", "初始权重").to_string()}>
                <span class="tl-fill" style="height:100%" />
            </button>
        }
    };
    let bars = entries.iter().map(|&(t, loss)| {
        let go = props.on_go.clone();
        let h = if loss.is_finite() { (loss / max).sqrt() * 100.0 } else { 100.0 };
        let label = match lang {
            super::i18n::Lang::En => format!("update {t}: batch loss {}", num(loss)),
            super::i18n::Lang::Zh => format!("第 {t} 次更新：批损失 {}", num(loss)),
        };
        html! {
            <button type="button" class={classes!("tl-bar", (t == now).then_some("current"), (t > now).then_some("future"))}
                disabled={t < earliest} data-update={t.to_string()}
                onclick={Callback::from(move |_: MouseEvent| go.emit(t))} aria-label={label.clone()} title={label}>
                <span class="tl-fill" style={format!("height:{h:.0}%")} />
            </button>
        }
    });
    html! {
        <div class="scrubber" data-testid="scrubber">
            <span class="field-label">{ lang.pick("recent updates (bar height = batch loss)", "最近的更新（柱高 = 批损失）") }</span>
            <div class="tl-bars" role="group" aria-label={lang.pick("timeline of recent updates", "最近更新的时间线").to_string()}>
                { start_bar }
                { for bars }
            </div>
            if entries.is_empty() {
                <span class="muted small">{ lang.pick("Each update you make appears here; click one to go back to it.", "每次更新都会出现在这里；点击即可回到那一步。") }</span>
            } else {
                <span class="small muted">{ match lang {
                    super::i18n::Lang::En => format!("now at update {now} · back to {earliest} is exact (snapshots); later updates replay the same batches"),
                    super::i18n::Lang::Zh => format!("当前第 {now} 次更新 · 可精确回到第 {earliest} 次（快照）；之后的更新按相同批次重放"),
                } }</span>
            }
        </div>
    }
}
