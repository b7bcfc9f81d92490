//! The optimizer lab: a collapsible section below the main columns with the loss
//! surface of the main training, the optimizer race and the learning-rate schedule.

use super::engine::EngineHandle;
use super::i18n::use_lang;
use super::lr_chart::LrChart;
use super::network_view::Focus;
use super::race_panel::RacePanel;
use super::surface_view::SurfaceView;
use yew::prelude::*;

/// Props of [`OptimizerLab`].
#[derive(Properties, PartialEq)]
pub struct OptimizerLabProps {
    /// The engine.
    pub engine: EngineHandle,
    /// The engine's summary version.
    pub version: u64,
    /// The weight or neuron last focused in the network diagram.
    pub focus: Option<Focus>,
}

/// The lab section.
#[component]
pub fn OptimizerLab(props: &OptimizerLabProps) -> Html {
    let lang = use_lang();
    html! {
        <details class="region lab" id="lab" open=true data-testid="optimizer-lab">
            <summary><h2>{ lang.pick("Optimizer lab", "优化器实验室") }</h2></summary>
            <div class="lab-grid">
                <SurfaceView engine={props.engine.clone()} version={props.version} focus={props.focus} />
                <LrChart engine={props.engine.clone()} version={props.version} />
            </div>
            <RacePanel engine={props.engine.clone()} />
        </details>
    }
}
