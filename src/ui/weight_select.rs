//! A menu of the network's weights (a separate component, so the loss-surface view can
//! re-render on every engine change without rebuilding long option lists).

use super::i18n::{use_lang, Lang};
use crate::train::surface::WeightRef;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// A weight's name for the menus.
pub fn weight_label(lang: Lang, w: WeightRef, last: bool) -> String {
    match (lang, last) {
        (Lang::En, false) => format!("layer {}: input {} → neuron {}", w.layer + 1, w.i + 1, w.j + 1),
        (Lang::En, true) => format!("output layer: input {} → output {}", w.i + 1, w.j + 1),
        (Lang::Zh, false) => format!("第 {} 层：输入 {} → 神经元 {}", w.layer + 1, w.i + 1, w.j + 1),
        (Lang::Zh, true) => format!("输出层：输入 {} → 输出 {}", w.i + 1, w.j + 1),
    }
}

/// Props of [`WeightSelect`].
#[derive(Properties, PartialEq)]
pub struct WeightSelectProps {
    /// Every weight of the network.
    pub weights: Vec<WeightRef>,
    /// Index of the output layer.
    pub last_layer: usize,
    /// The selected weight.
    pub current: WeightRef,
    /// Greyed out.
    pub disabled: bool,
    /// Visible label.
    pub label: AttrValue,
    /// Test hook.
    pub testid: AttrValue,
    /// Called with the chosen weight.
    pub on_change: Callback<WeightRef>,
}

/// The menu.
#[component]
pub fn WeightSelect(props: &WeightSelectProps) -> Html {
    let lang = use_lang();
    let onchange = {
        let on_change = props.on_change.clone();
        Callback::from(move |ev: Event| {
            let v = ev.target_unchecked_into::<HtmlSelectElement>().value();
            let mut it = v.split('-').filter_map(|t| t.parse::<usize>().ok());
            if let (Some(layer), Some(i), Some(j)) = (it.next(), it.next(), it.next()) {
                on_change.emit(WeightRef { layer, i, j });
            }
        })
    };
    html! {
        <label class="field">
            <span class="field-label">{ props.label.clone() }</span>
            <select data-testid={props.testid.clone()} {onchange} disabled={props.disabled}>
                { for props.weights.iter().map(|w| html! {
                    <option value={format!("{}-{}-{}", w.layer, w.i, w.j)} selected={*w == props.current}>
                        { weight_label(lang, *w, w.layer == props.last_layer) }
                    </option>
                }) }
            </select>
        </label>
    }
}
