//! The `error-banner`: errors and notices, one line each, dismissible; hidden when empty.
//! Each message carries its English and Chinese text, so switching the language
//! re-renders the messages already shown.

use super::i18n::use_lang;
use yew::prelude::*;

/// How serious a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// Something was adjusted or ignored; the page works.
    Notice,
    /// Something failed or training stopped.
    Error,
}

/// One message.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// Seriousness.
    pub level: Level,
    /// English text.
    pub en: String,
    /// Chinese text.
    pub zh: String,
}

impl Message {
    /// A message from its English and Chinese text.
    pub fn new(level: Level, en: impl Into<String>, zh: impl Into<String>) -> Message {
        Message { level, en: en.into(), zh: zh.into() }
    }
}

/// Props of [`Banner`].
#[derive(Properties, PartialEq)]
pub struct BannerProps {
    /// Messages to show.
    pub messages: Vec<Message>,
    /// Clears them.
    pub on_dismiss: Callback<()>,
}

/// The banner.
#[component]
pub fn Banner(props: &BannerProps) -> Html {
    let lang = use_lang();
    let error = props.messages.iter().any(|m| m.level == Level::Error);
    let class = if error { "banner banner-error" } else { "banner banner-notice" };
    let dismiss = props.on_dismiss.reform(|_: MouseEvent| ());
    html! {
        <div data-testid="error-banner" class={class} role={if error { "alert" } else { "status" }}
             hidden={props.messages.is_empty()}>
            <ul>
                { for props.messages.iter().map(|m| html! {
                    <li class={if m.level == Level::Error { "msg-error" } else { "msg-notice" }}>{ lang.pick(&m.en, &m.zh) }</li>
                }) }
            </ul>
            <button type="button" class="btn btn-small" data-testid="dismiss" onclick={dismiss}>{ lang.pick("OK", "知道了") }</button>
        </div>
    }
}
