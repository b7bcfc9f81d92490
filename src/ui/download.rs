//! Downloads made in the page: a text file through a Blob and an object URL, or any URL
//! (e.g. a canvas's `data:` URL), with a temporary `<a download>`.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Saves `href` as `file_name` by clicking a temporary link.
pub fn url(href: &str, file_name: &str) -> Result<(), String> {
    let document = gloo::utils::document();
    let a: HtmlAnchorElement = document.create_element("a").map_err(|_| "cannot create a link")?.unchecked_into();
    a.set_href(href);
    a.set_download(file_name);
    a.set_hidden(true);
    let body = document.body().ok_or("the page has no body")?;
    body.append_child(&a).map_err(|_| "cannot add the link")?;
    a.click();
    a.remove();
    Ok(())
}

/// Saves `text` as `file_name` with the MIME type `mime`.
pub fn text(text: &str, file_name: &str, mime: &str) -> Result<(), String> {
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let bag = BlobPropertyBag::new();
    bag.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &bag).map_err(|_| "cannot make the file")?;
    let href = Url::create_object_url_with_blob(&blob).map_err(|_| "cannot make a link to the file")?;
    let r = url(&href, file_name);
    // The click has started the download; the object URL is no longer needed.
    let _ = Url::revoke_object_url(&href);
    r
}
