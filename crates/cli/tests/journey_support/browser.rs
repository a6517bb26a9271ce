//! Driving the pages in a real browser: clicks that wait for the next page, choices made by
//! the names a person reads, the keyboard alone, screenshots for the docs.

use fantoccini::Locator;
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::Duration;
use testkit::browser::Browser;

/// Where screenshots go: `docs/screenshots` when `COMMERCE_SYNC_SCREENSHOTS` is set (to
/// refresh the docs), else a scratch folder so a test run leaves the checkout as it was.
pub fn shot(name: &str) -> PathBuf {
    match std::env::var_os("COMMERCE_SYNC_SCREENSHOTS") {
        Some(_) => PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../docs/screenshots")
            .join(name),
        None => std::env::temp_dir()
            .join("commerce-sync-screenshots")
            .join(name),
    }
}

pub async fn page(b: &Browser) -> String {
    b.client.source().await.unwrap()
}

pub async fn click(b: &Browser, css: &str) {
    // Waits for the element: a click that navigates returns before the next page is there.
    match b
        .client
        .wait()
        .at_most(Duration::from_secs(15))
        .for_element(Locator::Css(css))
        .await
    {
        Ok(element) => element.click().await.unwrap(),
        Err(e) => panic!("no {css} on the page: {e}\n{}", page(b).await),
    }
}

/// Clicks what leads to another page, and waits until that page has loaded.
pub async fn go(b: &Browser, css: &str) {
    b.client
        .execute("window.__leaving = true", vec![])
        .await
        .unwrap();
    click(b, css).await;
    arrive(b, css).await;
}

/// Waits until the page marked `window.__leaving` is replaced by a loaded one.
pub async fn arrive(b: &Browser, what: &str) {
    for _ in 0..300 {
        let arrived = b
            .client
            .execute(
                "return window.__leaving === undefined && document.readyState === 'complete'",
                vec![],
            )
            .await;
        if matches!(arrived, Ok(Value::Bool(true))) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} led nowhere:\n{}", page(b).await);
}

/// Tabs from the top of the page to the control labelled `text` and presses Enter on it.
pub async fn keyboard_to(b: &Browser, text: &str) {
    const TAB: &str = "\u{E004}";
    const ENTER: &str = "\u{E007}";
    for _ in 0..20 {
        let focused = b.client.active_element().await.unwrap();
        focused.send_keys(TAB).await.unwrap();
        let now = b.client.active_element().await.unwrap();
        if now.text().await.unwrap_or_default().trim() == text {
            let outlined: Value = b
                .client
                .execute(
                    "return getComputedStyle(document.activeElement).outlineStyle",
                    vec![],
                )
                .await
                .unwrap();
            assert_ne!(outlined, json!("none"), "focus is visible on {text}");
            b.client
                .execute("window.__leaving = true", vec![])
                .await
                .unwrap();
            now.send_keys(ENTER).await.unwrap();
            arrive(b, text).await;
            return;
        }
    }
    panic!("{text} cannot be reached with Tab:\n{}", page(b).await);
}

/// Chooses the option of the control named `pointer` whose text is `name` (or ends "– name").
pub async fn choose(b: &Browser, pointer: &str, name: &str) {
    let script = r#"
        const [pointer, name] = arguments;
        const select = document.querySelector(`[name="${pointer}"]`);
        if (!select) return 'no field ' + pointer + ' among ' + [...document.querySelectorAll('[name]')].map(e => e.name).join(' ');
        const option = [...select.options].find(o => { const t = o.textContent.trim(); return t === name || t.endsWith('– ' + name); });
        if (!option) return 'no option ' + name + ' in ' + [...select.options].map(o => o.textContent.trim()).join(' | ');
        select.value = option.value;
        return 'ok';
    "#;
    let answer = b
        .client
        .execute(script, vec![json!(pointer), json!(name)])
        .await
        .unwrap();
    assert_eq!(answer, json!("ok"), "choosing {name} for {pointer}");
}

pub async fn tick(b: &Browser, pointer: &str) {
    let css = format!(r#"input[name="{pointer}"]"#);
    let box_ = b.client.find(Locator::Css(&css)).await.unwrap();
    if !box_.is_selected().await.unwrap() {
        box_.click().await.unwrap();
    }
}

/// Types `text` into the field `css`, replacing what was there.
pub async fn fill(b: &Browser, css: &str, text: &str) {
    let field = b.client.find(Locator::Css(css)).await.unwrap();
    field.clear().await.unwrap();
    field.send_keys(text).await.unwrap();
}
