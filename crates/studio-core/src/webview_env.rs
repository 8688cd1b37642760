//! The environment the desktop app gives GTK and WebKitGTK (Linux) before they start, so that
//! a window showing one local page, painted in software, does not load the GL driver into the
//! app's own process, and the web process does not keep a JavaScript JIT for a small UI.
//!
//! Measured under Xvfb with WebKitGTK 2.50 and mesa 22.3 (docs/benchmarks.md, "Footprint"):
//! GTK 3 opens a GLX context when it opens the display (to pick visuals), and WebKit's UI side
//! creates an EGL display to find the GPU's render node for its web process and to offer it
//! DMA-BUF buffers. Either one loads mesa's driver, which links `libLLVM` (about 20 MiB PSS per
//! process, 8 MiB of it relocations that are never shared). The app's web view paints without
//! accelerated compositing (its hardware acceleration policy is "never"), so none of it is
//! used: [`light_settings`] turns all three off, and the web process keeps loading the driver
//! itself (WebKit needs an EGL display there).
//!
//! The user's own settings win: if any variable that steers GTK's or WebKit's drawing is set
//! ([`RENDERING_OVERRIDES`]), the app sets none of the drawing ones, and it never replaces a
//! variable that is set. Programs the app starts (the browser) do not get what the app set
//! ([`open_in_browser`]).

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::OnceLock;

/// Variables that steer how GTK and WebKitGTK draw. If the user has set any of them, the app
/// leaves all of the drawing settings to the user.
pub const RENDERING_OVERRIDES: &[&str] = &[
    "GDK_GL",
    "WEBKIT_DISABLE_DMABUF_RENDERER",
    "WEBKIT_DMABUF_RENDERER_FORCE_SHM",
    "WEBKIT_WEB_RENDER_DEVICE_FILE",
    "WEBKIT_DISABLE_COMPOSITING_MODE",
    "WEBKIT_FORCE_COMPOSITING_MODE",
    "WEBKIT_SKIA_ENABLE_CPU_RENDERING",
    "LIBGL_ALWAYS_SOFTWARE",
    "__EGL_VENDOR_LIBRARY_FILENAMES",
    "DRI_PRIME",
    "GALLIUM_DRIVER",
];

/// The render node path WebKit gets when the machine has none (`/dev/dri` absent or empty:
/// software rendering, a VM, Xvfb): the conventional first one, which then does not exist, so
/// WebKit finds no GPU device there, as its own EGL query would report for software rendering.
pub const NO_RENDER_NODE: &str = "/dev/dri/renderD128";

/// The variables the app sets for itself when the user has not: `(name, value)`.
///
/// - `GDK_GL=disable`: GTK 3 opens no GL context (the app has no GL widget).
/// - `WEBKIT_DISABLE_DMABUF_RENDERER=1`: the web process hands its (software-painted) frames
///   over in shared memory, so WebKit's UI side needs no EGL display for DMA-BUF formats.
/// - `WEBKIT_WEB_RENDER_DEVICE_FILE`: `render_node` (the first `/dev/dri/renderD*`, the one
///   WebKit's own fallback picks) or [`NO_RENDER_NODE`], so the UI side does not create an EGL
///   display to ask which device it is.
/// - `GALLIUM_DRIVER=softpipe`: mesa's software driver, which WebKit's web process still loads
///   (it needs an EGL display even when it paints in software), sets up its plain C rasterizer
///   instead of `llvmpipe`, which builds an LLVM JIT context and threads that never draw here
///   (the web view's hardware acceleration policy is "never"). Measured: about 0.8 MiB less PSS
///   in the web process, 1.1 MiB in all (docs/benchmarks.md, "Footprint"). Mesa reads it only
///   when it picks a software driver (`GALLIUM_DRIVER`, docs.mesa3d.org/envvars.html), so a
///   machine with a GPU keeps its hardware driver.
/// - `JSC_useJIT=0`: JavaScriptCore interprets the UI's script instead of compiling it (about
///   3 MiB less in the web process; the UI's script is small and event-driven).
///
/// `is_set(name)` says whether the user's environment has `name`. Empty on platforms other than
/// Linux (the variables are WebKitGTK's).
pub fn light_settings(
    is_set: impl Fn(&str) -> bool,
    render_node: Option<PathBuf>,
) -> Vec<(&'static str, OsString)> {
    if !cfg!(target_os = "linux") {
        return Vec::new();
    }
    let mut out: Vec<(&'static str, OsString)> = Vec::new();
    if !RENDERING_OVERRIDES.iter().any(|name| is_set(name)) {
        let node = render_node.unwrap_or_else(|| PathBuf::from(NO_RENDER_NODE));
        out.push(("GDK_GL", "disable".into()));
        out.push(("WEBKIT_DISABLE_DMABUF_RENDERER", "1".into()));
        out.push(("WEBKIT_WEB_RENDER_DEVICE_FILE", node.into_os_string()));
        out.push(("GALLIUM_DRIVER", "softpipe".into()));
    }
    if !is_set("JSC_useJIT") {
        out.push(("JSC_useJIT", "0".into()));
    }
    out
}

/// The first DRM render node in `dir` (`renderD128`, `renderD129`, …: the lowest number), if any.
pub fn first_render_node(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .filter_map(|entry| {
            let entry = entry.ok()?;
            let name = entry.file_name();
            let number: u32 = name.to_str()?.strip_prefix("renderD")?.parse().ok()?;
            Some((number, entry.path()))
        })
        .min()
        .map(|(_, path)| path)
}

/// The names [`apply`] set in this process (empty before it runs).
static SET_BY_APP: OnceLock<Vec<&'static str>> = OnceLock::new();

/// Sets [`light_settings`] for this process (the user's environment, `/dev/dri`) and returns
/// what it set. Call it first thing in `main`, before GTK, WebKit or any other thread starts
/// (it changes the process environment); later calls set nothing more.
pub fn apply() -> &'static [&'static str] {
    SET_BY_APP.get_or_init(|| {
        let settings = light_settings(
            |name| std::env::var_os(name).is_some(),
            first_render_node(Path::new("/dev/dri")),
        );
        settings
            .into_iter()
            .map(|(name, value)| {
                std::env::set_var(name, value);
                name
            })
            .collect()
    })
}

/// Leaves the variables the app set for itself ([`apply`]) out of `command`'s environment, so
/// the programs it starts (the browser) draw as they would have without this app.
pub fn leave_out(command: &mut Command, names: &[&str]) {
    for name in names {
        command.env_remove(name);
    }
}

/// Opens `url` in the system's browser, as `open::that` does (each launcher in turn until one
/// succeeds: `xdg-open`, `gio`, … on Linux), without the variables the app set for its own web
/// view.
///
/// # Errors
/// No launcher could be started, or every launcher failed (the last error).
pub fn open_in_browser(url: impl AsRef<OsStr>) -> std::io::Result<()> {
    let names = SET_BY_APP.get().map(Vec::as_slice).unwrap_or(&[]);
    let mut last = Err(std::io::Error::other(
        "no way to open a browser on this system",
    ));
    for mut command in open::commands(url) {
        leave_out(&mut command, names);
        let status = command
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        match status {
            Ok(status) if status.success() => return Ok(()),
            Ok(status) => {
                let program = command.get_program().to_string_lossy().into_owned();
                last = Err(std::io::Error::other(format!(
                    "{program} failed ({status})"
                )));
            }
            Err(e) => last = Err(e),
        }
    }
    last
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(settings: &[(&'static str, OsString)]) -> Vec<&'static str> {
        settings.iter().map(|(name, _)| *name).collect()
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn nothing_set_by_the_user_gets_every_setting() {
        let s = light_settings(|_| false, Some(PathBuf::from("/dev/dri/renderD129")));
        assert_eq!(
            s,
            vec![
                ("GDK_GL", OsString::from("disable")),
                ("WEBKIT_DISABLE_DMABUF_RENDERER", OsString::from("1")),
                (
                    "WEBKIT_WEB_RENDER_DEVICE_FILE",
                    OsString::from("/dev/dri/renderD129")
                ),
                ("GALLIUM_DRIVER", OsString::from("softpipe")),
                ("JSC_useJIT", OsString::from("0")),
            ]
        );
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn no_render_node_gets_the_conventional_absent_one() {
        let s = light_settings(|_| false, None);
        assert!(s.contains(&(
            "WEBKIT_WEB_RENDER_DEVICE_FILE",
            OsString::from("/dev/dri/renderD128")
        )));
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn any_drawing_variable_set_by_the_user_leaves_all_drawing_to_the_user() {
        for user in RENDERING_OVERRIDES {
            let s = light_settings(|name| name == *user, None);
            assert_eq!(names(&s), vec!["JSC_useJIT"], "user set {user}");
        }
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn a_jit_setting_of_the_user_is_kept() {
        let s = light_settings(|name| name == "JSC_useJIT", None);
        assert_eq!(
            names(&s),
            vec![
                "GDK_GL",
                "WEBKIT_DISABLE_DMABUF_RENDERER",
                "WEBKIT_WEB_RENDER_DEVICE_FILE",
                "GALLIUM_DRIVER"
            ]
        );
    }

    #[test]
    fn first_render_node_is_the_lowest_number() {
        let dir = tempfile::tempdir().unwrap();
        for name in [
            "card0",
            "card1",
            "renderD129",
            "renderD128x",
            "renderD130",
            "by-path",
        ] {
            std::fs::write(dir.path().join(name), b"").unwrap();
        }
        assert_eq!(
            first_render_node(dir.path()),
            Some(dir.path().join("renderD129"))
        );
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert_eq!(
            first_render_node(dir.path()),
            Some(dir.path().join("renderD128"))
        );
    }

    #[test]
    fn no_dri_folder_or_no_render_node_is_none() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(first_render_node(&dir.path().join("dri")), None);
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        assert_eq!(first_render_node(dir.path()), None);
    }

    #[test]
    fn what_the_app_set_is_left_out_of_the_programs_it_starts() {
        let mut command = Command::new("xdg-open");
        leave_out(&mut command, &["GDK_GL", "JSC_useJIT"]);
        let envs: Vec<_> = command.get_envs().collect();
        assert_eq!(
            envs,
            vec![
                (OsStr::new("GDK_GL"), None),
                (OsStr::new("JSC_useJIT"), None)
            ]
        );
    }
}
