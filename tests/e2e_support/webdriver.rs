//! A tiny W3C WebDriver client over reqwest: just what the app's end-to-end tests use.

use base64::Engine as _;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// The W3C element key in JSON answers.
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecc";

/// Makes the page paint a few times over the next second (a one-pixel, nearly transparent,
/// hidden element in the bottom-right corner that changes shade, then goes), so a screenshot
/// asked for now gets the paint it waits for. Returns at once.
const REPAINT_SOON: &str = "const d = document.createElement('div'); \
    d.setAttribute('aria-hidden', 'true'); \
    d.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647'; \
    document.documentElement.appendChild(d); \
    let n = 0; \
    const t = setInterval(() => { \
      n += 1; \
      d.style.background = n % 2 ? 'rgba(0,0,0,0.01)' : 'rgba(0,0,0,0.02)'; \
      if (n >= 20) { clearInterval(t); d.remove(); } \
    }, 50);";

/// One WebDriver session (one app window).
pub struct Session {
    http: reqwest::Client,
    base: String,
    id: String,
    shots: PathBuf,
    shot_prefix: String,
    shot_n: std::sync::atomic::AtomicU32,
}

pub type R<T> = Result<T, String>;

impl Session {
    /// Opens a session on `driver_url` for the app binary with `args`.
    pub async fn start(
        driver_url: &str,
        application: &Path,
        args: &[String],
        shots: PathBuf,
        shot_prefix: &str,
    ) -> R<Session> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(90))
            .build()
            .map_err(|e| e.to_string())?;
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "wry",
            "tauri:options": {"application": application, "args": args}
        }}});
        let mut last = String::new();
        // tauri-driver may need a moment to listen.
        for _ in 0..50 {
            match http
                .post(format!("{driver_url}/session"))
                .json(&caps)
                .send()
                .await
            {
                Ok(resp) => {
                    let v: Value = resp.json().await.map_err(|e| e.to_string())?;
                    let id = v["value"]["sessionId"]
                        .as_str()
                        .map(String::from)
                        .ok_or_else(|| format!("no session: {v}"))?;
                    std::fs::create_dir_all(&shots).map_err(|e| e.to_string())?;
                    return Ok(Session {
                        http,
                        base: driver_url.to_string(),
                        id,
                        shots,
                        shot_prefix: shot_prefix.to_string(),
                        shot_n: 0.into(),
                    });
                }
                Err(e) => {
                    last = e.to_string();
                    tokio::time::sleep(Duration::from_millis(200)).await;
                }
            }
        }
        Err(format!(
            "could not reach tauri-driver at {driver_url}: {last}"
        ))
    }

    async fn cmd(&self, method: reqwest::Method, path: &str, body: Option<Value>) -> R<Value> {
        let url = format!("{}/session/{}{}", self.base, self.id, path);
        let mut req = self.http.request(method, &url);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let resp = req.send().await.map_err(|e| format!("{path}: {e}"))?;
        let status = resp.status();
        let v: Value = resp.json().await.map_err(|e| format!("{path}: {e}"))?;
        if !status.is_success() {
            return Err(format!(
                "{path}: HTTP {status}: {}",
                v["value"]["message"].as_str().unwrap_or(&v.to_string())
            ));
        }
        Ok(v["value"].clone())
    }

    /// Runs a script in the page and returns its value.
    pub async fn exec(&self, script: &str, args: Vec<Value>) -> R<Value> {
        self.cmd(
            reqwest::Method::POST,
            "/execute/sync",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Runs an asynchronous script (it calls its last argument with the result) and returns the
    /// value it passed.
    pub async fn exec_async(&self, script: &str, args: Vec<Value>) -> R<Value> {
        self.cmd(
            reqwest::Method::POST,
            "/execute/async",
            Some(json!({"script": script, "args": args})),
        )
        .await
    }

    /// Presses one key (e.g. `"\u{E014}"`, the right arrow key) where the focus is, with
    /// WebDriver's key actions (falling back to sending it to the focused element).
    pub async fn press(&self, key: &str) -> R<()> {
        let actions = json!({"actions": [{"type": "key", "id": "keyboard", "actions": [
            {"type": "keyDown", "value": key}, {"type": "keyUp", "value": key}
        ]}]});
        if self
            .cmd(reqwest::Method::POST, "/actions", Some(actions))
            .await
            .is_ok()
        {
            return Ok(());
        }
        let keys = key;
        let active = self
            .cmd(reqwest::Method::GET, "/element/active", None)
            .await?;
        let id = active[ELEMENT_KEY]
            .as_str()
            .or_else(|| {
                active
                    .as_object()
                    .and_then(|o| o.values().find_map(Value::as_str))
            })
            .ok_or("no focused element")?
            .to_string();
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": keys})),
        )
        .await
        .map(|_| ())
    }

    /// The first element matching `css`, if any.
    pub async fn try_find(&self, css: &str) -> R<Option<String>> {
        match self
            .cmd(
                reqwest::Method::POST,
                "/element",
                Some(json!({"using": "css selector", "value": css})),
            )
            .await
        {
            // The W3C key, or whatever single reference the driver used.
            Ok(v) => Ok(v[ELEMENT_KEY]
                .as_str()
                .or_else(|| {
                    v.as_object()
                        .and_then(|o| o.values().find_map(Value::as_str))
                })
                .map(String::from)),
            Err(e) if e.contains("no such element") || e.contains("404") => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Waits until `css` matches a visible element; returns it.
    pub async fn wait(&self, css: &str, timeout: Duration) -> R<String> {
        let start = Instant::now();
        let mut last;
        loop {
            let shown = self.exec("const e=document.querySelector(arguments[0]); return !!e && e.getClientRects().length>0;", vec![json!(css)]).await;
            match shown {
                Ok(Value::Bool(true)) => match self.try_find(css).await {
                    Ok(Some(id)) => return Ok(id),
                    Ok(None) => last = "found by script but not by WebDriver".into(),
                    Err(e) => last = e,
                },
                Ok(v) => last = format!("not shown yet ({v})"),
                Err(e) => last = e,
            }
            if start.elapsed() > timeout {
                let page = self.page_text().await.unwrap_or_default();
                let _ = self.screenshot(&format!("TIMEOUT-{}", sanitize(css))).await;
                return Err(format!("timed out after {timeout:?} waiting for `{css}` (last: {last}); the page said:\n{page}"));
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits until the script returns true.
    pub async fn wait_until(
        &self,
        what: &str,
        script: &str,
        args: Vec<Value>,
        timeout: Duration,
    ) -> R<()> {
        let start = Instant::now();
        loop {
            if self.exec(script, args.clone()).await? == json!(true) {
                return Ok(());
            }
            if start.elapsed() > timeout {
                let page = self.page_text().await.unwrap_or_default();
                let _ = self
                    .screenshot(&format!("TIMEOUT-{}", sanitize(what)))
                    .await;
                return Err(format!(
                    "timed out after {timeout:?} waiting for {what}; the page said:\n{page}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(150)).await;
        }
    }

    /// Waits until the element matching `css` contains `text`.
    pub async fn wait_text(&self, css: &str, text: &str, timeout: Duration) -> R<String> {
        self.wait_until(
            &format!("`{css}` to say “{text}”"),
            "const e=document.querySelector(arguments[0]); return !!e && e.textContent.includes(arguments[1]);",
            vec![json!(css), json!(text)],
            timeout,
        )
        .await?;
        self.text(css).await
    }

    /// Clicks the element matching `css` once it is visible and enabled.
    pub async fn click(&self, css: &str) -> R<()> {
        self.wait(css, Duration::from_secs(20)).await?;
        self.wait_until(
            &format!("`{css}` to be enabled"),
            "const e=document.querySelector(arguments[0]); return !!e && !e.disabled;",
            vec![json!(css)],
            Duration::from_secs(20),
        )
        .await?;
        // To the middle of the window, clear of the sticky bars at the top.
        self.exec("const e=document.querySelector(arguments[0]); if (e) e.scrollIntoView({block:'center'}); return true;", vec![json!(css)]).await?;
        let id = self
            .try_find(css)
            .await?
            .ok_or_else(|| format!("`{css}` vanished"))?;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/click"),
            Some(json!({})),
        )
        .await
        .map(|_| ())
    }

    /// Types `text` into the element matching `css` (after clearing it), as keystrokes.
    pub async fn type_into(&self, css: &str, text: &str) -> R<()> {
        let id = self.wait(css, Duration::from_secs(20)).await?;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/clear"),
            Some(json!({})),
        )
        .await?;
        self.cmd(
            reqwest::Method::POST,
            &format!("/element/{id}/value"),
            Some(json!({"text": text})),
        )
        .await
        .map(|_| ())
    }

    /// Puts `text` into a field at once, as a paste does, and fires `input`.
    pub async fn paste_into(&self, css: &str, text: &str) -> R<()> {
        self.wait(css, Duration::from_secs(20)).await?;
        self.exec(
            "const e=document.querySelector(arguments[0]); e.focus(); e.value=arguments[1]; e.dispatchEvent(new Event('input',{bubbles:true})); return true;",
            vec![json!(css), json!(text)],
        )
        .await
        .map(|_| ())
    }

    /// Chooses `value` in the `<select>` matching `css` (once that option exists), as a
    /// person picking it does: the value changes and `change` fires.
    pub async fn select(&self, css: &str, value: &str) -> R<()> {
        self.wait(css, Duration::from_secs(20)).await?;
        self.wait_until(
            &format!("`{css}` to offer “{value}”"),
            "const e=document.querySelector(arguments[0]); return !!e && !e.disabled && [...e.options].some(o => o.value === arguments[1]);",
            vec![json!(css), json!(value)],
            Duration::from_secs(30),
        )
        .await?;
        self.exec(
            "const e=document.querySelector(arguments[0]); e.value=arguments[1]; e.dispatchEvent(new Event('input',{bubbles:true})); e.dispatchEvent(new Event('change',{bubbles:true})); return true;",
            vec![json!(css), json!(value)],
        )
        .await
        .map(|_| ())
    }

    /// Scrolls the element matching `css` into view (for a screenshot of that part).
    pub async fn scroll_to(&self, css: &str) -> R<()> {
        self.exec("const e=document.querySelector(arguments[0]); if (e) e.scrollIntoView({block:'start'}); window.scrollBy(0,-165); return !!e;", vec![json!(css)]).await.map(|_| ())
    }

    /// The text content of the element matching `css`.
    pub async fn text(&self, css: &str) -> R<String> {
        let v = self.exec("const e=document.querySelector(arguments[0]); return e ? (e.value !== undefined && e.tagName !== 'BUTTON' && e.tagName !== 'LI' ? e.value : e.textContent) : null;", vec![json!(css)]).await?;
        v.as_str()
            .map(String::from)
            .ok_or_else(|| format!("no element `{css}`"))
    }

    /// The visible text of the whole page (for failure messages).
    pub async fn page_text(&self) -> R<String> {
        Ok(self
            .exec("return document.body.innerText;", vec![])
            .await?
            .as_str()
            .unwrap_or_default()
            .to_string())
    }

    /// Saves a PNG of the window as `<prefix>-<n>-<label>.png`; returns its path.
    pub async fn screenshot(&self, label: &str) -> R<PathBuf> {
        // Let transitions and fonts settle.
        tokio::time::sleep(Duration::from_millis(250)).await;
        // The app draws without accelerated compositing (src-tauri/lib.rs), and WebKitGTK then
        // answers a screenshot only once the page paints again: a page at rest would keep it
        // waiting. A one-pixel, nearly transparent change in the corner for a second makes
        // that next paint.
        self.exec(REPAINT_SOON, vec![]).await?;
        let v = self.cmd(reqwest::Method::GET, "/screenshot", None).await?;
        let b64 = v.as_str().ok_or("screenshot: not a string")?;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .map_err(|e| e.to_string())?;
        let n = self
            .shot_n
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        let path = self.shots.join(format!(
            "{}-{:02}-{}.png",
            self.shot_prefix,
            n,
            sanitize(label)
        ));
        std::fs::write(&path, png).map_err(|e| e.to_string())?;
        Ok(path)
    }

    /// Ends the session (closes the app).
    pub async fn close(&self) {
        let _ = self
            .http
            .delete(format!("{}/session/{}", self.base, self.id))
            .send()
            .await;
    }
}

fn sanitize(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect::<String>()
        .trim_matches('_')
        .chars()
        .take(60)
        .collect()
}
