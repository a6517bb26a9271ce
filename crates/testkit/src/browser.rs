//! A real headless Chromium driven over WebDriver: `chromedriver` on a free loopback port and a
//! `fantoccini` client connected to it, for tests that look at pages the way a person's browser
//! does (layout at a phone's width, screenshots for the docs, the accessibility check in
//! [`crate::axe`]).
//!
//! Without `chromedriver` and Chromium on `PATH` (Debian packages `chromium-driver` and
//! `chromium`; `.ci/run` installs them) [`Browser::start`] says `!!! SKIPPED` and answers
//! `None`, except under `CI=true`, where it fails.
//!
//! ```no_run
//! # async fn t() {
//! use testkit::browser::{Browser, PHONE};
//! let Some(browser) = Browser::start(PHONE, "books page on a phone").await else { return };
//! browser.goto("http://127.0.0.1:8080/").await;
//! browser.assert_accessible("books page").await;
//! browser.screenshot(std::path::Path::new("docs/screenshots/books.png")).await;
//! browser.close().await;
//! # }
//! ```

use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;
use store::testing::skip_or_fail;

/// The page's viewport in CSS pixels, and whether it is a phone's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Viewport {
    pub width: u32,
    pub height: u32,
    /// A touch screen that honours `<meta name="viewport">`, as a phone's browser does.
    pub mobile: bool,
}

/// A laptop's window.
pub const DESKTOP: Viewport = Viewport {
    width: 1280,
    height: 900,
    mobile: false,
};

/// A current phone held upright (iPhone 12–15 class).
pub const PHONE: Viewport = Viewport {
    width: 390,
    height: 844,
    mobile: true,
};

/// A headless Chromium session; chromedriver (and the browser it started) ends on drop.
pub struct Browser {
    /// The WebDriver client, for anything this type does not wrap (finding elements, clicks).
    pub client: fantoccini::Client,
    _driver: Driver,
}

/// The chromedriver process, leader of its own process group.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        // chromedriver runs in its own process group with the Chromium it launched; ending the
        // group by its id leaves no browser behind even when a test panics before `close`.
        let group = self.0.id() as libc::pid_t;
        // SAFETY: kill(2) with a negative pid signals only the process group we created.
        unsafe {
            libc::kill(-group, libc::SIGKILL);
        }
        let _ = self.0.wait();
    }
}

/// The first of `names` found on `PATH`.
pub fn on_path(names: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .flat_map(|dir| names.iter().map(move |n| dir.join(n)))
        .find(|candidate| candidate.is_file())
}

impl Browser {
    /// Starts chromedriver and a headless Chromium with a window of `viewport`, or answers
    /// `None` after a loud skip (a failure under `CI=true`) when either is missing; `what`
    /// names the test in that message.
    pub async fn start(viewport: Viewport, what: &str) -> Option<Browser> {
        let Some(driver_bin) = on_path(&["chromedriver"]) else {
            skip_or_fail(
                what,
                "`chromedriver` is not on PATH (apt-get install chromium chromium-driver)",
            );
            return None;
        };
        let Some(chromium) = on_path(&["chromium", "chromium-browser", "google-chrome"]) else {
            skip_or_fail(
                what,
                "no Chromium on PATH (apt-get install chromium chromium-driver)",
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let driver = Driver(
            Command::new(driver_bin)
                .arg(format!("--port={port}"))
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .process_group(0)
                .spawn()
                .expect("chromedriver starts"),
        );
        let url = format!("http://127.0.0.1:{port}");
        wait_until_ready(&url).await;
        // chromedriver listens on loopback HTTP only; no TLS stack needed.
        let http = hyper_util::client::legacy::connect::HttpConnector::new();
        let client = fantoccini::ClientBuilder::new(http)
            .capabilities(capabilities(&chromium, viewport))
            .connect(&url)
            .await
            .unwrap_or_else(|e| panic!("chromedriver at {url} did not start Chromium: {e}"));
        Some(Browser {
            client,
            _driver: driver,
        })
    }

    /// Opens `url` and waits for it to load.
    pub async fn goto(&self, url: &str) {
        self.client
            .goto(url)
            .await
            .unwrap_or_else(|e| panic!("the browser could not open {url}: {e}"));
    }

    /// A PNG of the visible page, written to `path` (folders made as needed), for the docs.
    pub async fn screenshot(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("a screenshot");
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).expect("the screenshot's folder");
        }
        std::fs::write(path, png)
            .unwrap_or_else(|e| panic!("could not write {}: {e}", path.display()));
    }

    /// Ends the WebDriver session politely (Chromium exits), then chromedriver on drop.
    pub async fn close(self) {
        let _ = self.client.clone().close().await;
    }
}

/// Headless Chromium as a test runner needs it: no GPU or sandbox (containers run as root
/// without user namespaces), `/tmp` instead of a small `/dev/shm`, a fixed window. Chromium
/// will not make a window narrower than 500 px, so a phone is emulated (device metrics).
fn capabilities(chromium: &Path, v: Viewport) -> fantoccini::wd::Capabilities {
    let args = [
        "--headless=new".to_owned(),
        "--no-sandbox".to_owned(),
        "--disable-dev-shm-usage".to_owned(),
        "--disable-gpu".to_owned(),
        "--hide-scrollbars".to_owned(),
        format!("--window-size={},{}", v.width, v.height),
    ];
    let mut options = serde_json::json!({"binary": chromium, "args": args});
    if v.mobile {
        options["mobileEmulation"] = serde_json::json!({"deviceMetrics": {
            "width": v.width, "height": v.height, "pixelRatio": 2, "mobile": true, "touch": true,
        }});
    }
    let caps = serde_json::json!({"browserName": "chrome", "goog:chromeOptions": options});
    match caps {
        serde_json::Value::Object(map) => map,
        _ => unreachable!("capabilities are a JSON object"),
    }
}

/// chromedriver answers `/status` once it listens; a few seconds on a busy machine.
async fn wait_until_ready(url: &str) {
    let http = reqwest::Client::new();
    for _ in 0..200 {
        let answer = http.get(format!("{url}/status")).send().await;
        if answer.is_ok_and(|a| a.status().is_success()) {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("chromedriver did not answer {url}/status within 10 s");
}
