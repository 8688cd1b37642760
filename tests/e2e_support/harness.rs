//! Everything one end-to-end scenario needs around the real app: its own Xvfb display, its
//! own tauri-driver (which drives WebKitWebDriver), a fake `xdg-open` first on PATH that
//! records the URLs the app opens, a fresh data folder, and a Downloads folder of its own
//! (`XDG_DOWNLOAD_DIR` in a private `XDG_CONFIG_HOME`). Dropping the harness stops them.

use std::io::{BufRead, BufReader};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Why the scenario cannot run here.
pub struct Missing(pub String);

/// Where a tool is, from an env var, PATH, or ~/.cargo/bin.
fn which(name: &str, env: &str) -> Option<PathBuf> {
    if let Ok(p) = std::env::var(env) {
        return Some(PathBuf::from(p));
    }
    let path = std::env::var_os("PATH")?;
    for dir in std::env::split_paths(&path) {
        let p = dir.join(name);
        if p.is_file() {
            return Some(p);
        }
    }
    let home = std::env::var_os("HOME")?;
    let p = Path::new(&home).join(".cargo/bin").join(name);
    p.is_file().then_some(p)
}

fn free_port() -> std::io::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// One scenario's surroundings.
pub struct Harness {
    /// The app's data folder (config, logs, sandbox files), passed as `--data-dir`.
    pub data_dir: PathBuf,
    /// The file the fake `xdg-open` appends opened URLs to.
    pub opened_file: PathBuf,
    /// The app's Downloads folder (its `XDG_DOWNLOAD_DIR`).
    pub download_dir: PathBuf,
    /// tauri-driver's WebDriver URL.
    pub driver_url: String,
    /// The app binary.
    pub app: PathBuf,
    /// Where screenshots go.
    pub shots: PathBuf,
    _tmp: tempfile::TempDir,
    xvfb: Child,
    driver: Child,
}

impl Harness {
    /// Sets everything up, or says what is missing.
    pub fn start(app: &Path, shots: PathBuf) -> Result<Harness, Missing> {
        let xvfb_bin = which("Xvfb", "XVFB")
            .ok_or_else(|| Missing("Xvfb is not installed (apt-get install xvfb)".into()))?;
        let driver_bin = which("tauri-driver", "TAURI_DRIVER").ok_or_else(|| {
            Missing(
                "tauri-driver is not installed (cargo install tauri-driver --version ^2 --locked)"
                    .into(),
            )
        })?;
        which("WebKitWebDriver", "WEBKIT_WEBDRIVER").ok_or_else(|| {
            Missing("WebKitWebDriver is not installed (apt-get install webkit2gtk-driver)".into())
        })?;
        if std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_none() {
            return Err(Missing("no D-Bus session (the keyring needs one): run under scripts/with-keyring.sh or scripts/app-e2e.sh".into()));
        }

        let tmp = tempfile::Builder::new()
            .prefix("studio-e2e-")
            .tempdir()
            .map_err(|e| Missing(e.to_string()))?;
        let data_dir = tmp.path().join("data");
        let fakebin = tmp.path().join("fakebin");
        let opened_file = tmp.path().join("opened-urls.txt");
        std::fs::create_dir_all(&data_dir).map_err(|e| Missing(e.to_string()))?;
        std::fs::create_dir_all(&fakebin).map_err(|e| Missing(e.to_string()))?;
        // The person's Downloads folder, as the desktop names it (xdg-user-dirs).
        let download_dir = tmp.path().join("Downloads");
        let xdg_config = tmp.path().join("xdg-config");
        std::fs::create_dir_all(&download_dir).map_err(|e| Missing(e.to_string()))?;
        std::fs::create_dir_all(&xdg_config).map_err(|e| Missing(e.to_string()))?;
        std::fs::write(
            xdg_config.join("user-dirs.dirs"),
            format!("XDG_DOWNLOAD_DIR=\"{}\"\n", download_dir.display()),
        )
        .map_err(|e| Missing(e.to_string()))?;
        let script = format!(
            "#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\nexit 0\n",
            opened_file.display()
        );
        for name in [
            "xdg-open",
            "gio",
            "gnome-open",
            "kde-open",
            "kde-open5",
            "kde-open6",
            "x-www-browser",
            "sensible-browser",
        ] {
            let p = fakebin.join(name);
            std::fs::write(&p, &script).map_err(|e| Missing(e.to_string()))?;
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755))
                .map_err(|e| Missing(e.to_string()))?;
        }

        // Xvfb picks a free display and writes its number on fd 1.
        let mut xvfb = Command::new(xvfb_bin)
            .args([
                "-displayfd",
                "1",
                "-screen",
                "0",
                "1280x900x24",
                "-nolisten",
                "tcp",
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| Missing(format!("Xvfb: {e}")))?;
        let mut line = String::new();
        if let Some(out) = xvfb.stdout.take() {
            let _ = BufReader::new(out).read_line(&mut line);
        }
        let display = format!(":{}", line.trim());
        if line.trim().is_empty() {
            let _ = xvfb.kill();
            return Err(Missing("Xvfb did not start".into()));
        }

        let port = free_port().map_err(|e| Missing(e.to_string()))?;
        let native = free_port().map_err(|e| Missing(e.to_string()))?;
        let path = format!(
            "{}:{}",
            fakebin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let driver = Command::new(driver_bin)
            .args([
                "--port",
                &port.to_string(),
                "--native-port",
                &native.to_string(),
            ])
            .env("DISPLAY", &display)
            .env("PATH", path)
            .env("XDG_CONFIG_HOME", &xdg_config)
            .env_remove("BROWSER")
            .env_remove("XDG_CURRENT_DESKTOP")
            .env("RUST_LOG", "info")
            .stdout(Stdio::null())
            .stderr(Stdio::from(
                std::fs::File::create(tmp.path().join("driver.log"))
                    .map_err(|e| Missing(e.to_string()))?,
            ))
            .spawn();
        let driver = match driver {
            Ok(d) => d,
            Err(e) => {
                let _ = xvfb.kill();
                return Err(Missing(format!("tauri-driver: {e}")));
            }
        };
        Ok(Harness {
            data_dir,
            opened_file,
            download_dir,
            driver_url: format!("http://127.0.0.1:{port}"),
            app: app.to_path_buf(),
            shots,
            _tmp: tmp,
            xvfb,
            driver,
        })
    }

    /// The args the app is started with.
    pub fn app_args(&self) -> Vec<String> {
        vec!["--data-dir".into(), self.data_dir.display().to_string()]
    }

    /// Waits for the app to open a URL in the "browser" (the fake xdg-open).
    pub fn wait_opened_url(&self, timeout: Duration) -> Result<String, String> {
        let start = Instant::now();
        loop {
            if let Ok(s) = std::fs::read_to_string(&self.opened_file) {
                if let Some(l) = s.lines().rev().find(|l| !l.trim().is_empty()) {
                    return Ok(l.trim().to_string());
                }
            }
            if start.elapsed() > timeout {
                return Err("the app opened no URL in the browser".into());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The first file named `name` under the data folder.
    pub fn find_file(&self, name: &str) -> Option<PathBuf> {
        fn walk(dir: &Path, name: &str) -> Option<PathBuf> {
            for e in std::fs::read_dir(dir).ok()?.flatten() {
                let p = e.path();
                if p.is_dir() {
                    if let Some(f) = walk(&p, name) {
                        return Some(f);
                    }
                } else if p.file_name().is_some_and(|n| n == name) {
                    return Some(p);
                }
            }
            None
        }
        walk(&self.data_dir, name)
    }

    /// tauri-driver's log (for failure messages).
    pub fn driver_log(&self) -> String {
        std::fs::read_to_string(self._tmp.path().join("driver.log")).unwrap_or_default()
    }
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let _ = self.xvfb.kill();
        let _ = self.xvfb.wait();
    }
}
