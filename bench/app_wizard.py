"""Drives the release desktop app through the whole first-run wizard with the built-in sandbox
(the steps of tests/e2e_app.rs scenario (a): sandbox → integration key → user → key → consent,
"Allow" clicked over HTTP as a person would in the browser → account → save → health check),
then leaves it idle and measures its memory. Prints one JSON object.

Run by bench/bench.py inside scripts/with-keyring.sh (a private D-Bus session with an unlocked,
throw-away gnome-keyring: saving the connection stores the key there), under its own Xvfb, through
tauri-driver and WebKitWebDriver, with a fake xdg-open that records the consent URL.

Usage: app_wizard.py APP_BINARY IDLE_SECONDS SCREENSHOT_PNG
"""
from __future__ import annotations

import base64
import html
import http.client
import json
import os
import pathlib
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from bench import mem_of, other_webkit_processes, per_process, proc_tree, start_xvfb  # noqa: E402

SHORT, LONG = 20, 90
# A one-pixel, nearly transparent, hidden element in the corner that changes shade for a second
# (as tests/e2e_support/webdriver.rs does before each screenshot).
REPAINT_SOON = ("const d = document.createElement('div'); d.setAttribute('aria-hidden', 'true'); "
                "d.style.cssText = 'position:fixed;right:0;bottom:0;width:1px;height:1px;pointer-events:none;z-index:2147483647'; "
                "document.documentElement.appendChild(d); let n = 0; const t = setInterval(() => { n += 1; "
                "d.style.background = n % 2 ? 'rgba(0,0,0,0.01)' : 'rgba(0,0,0,0.02)'; "
                "if (n >= 20) { clearInterval(t); d.remove(); } }, 50);")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class WebDriver:
    def __init__(self, base: str, app: str, args: list[str]):
        self.base = base
        caps = {"capabilities": {"alwaysMatch": {"browserName": "wry", "tauri:options": {"application": app, "args": args}}}}
        last = None
        for _ in range(100):
            try:
                v = self._req("POST", f"{base}/session", caps)
                self.sid = v["value"]["sessionId"]
                return
            except (urllib.error.URLError, ConnectionError) as e:
                last = e
                time.sleep(0.2)
        raise RuntimeError(f"no WebDriver session: {last}")

    @staticmethod
    def _req(method, url, body=None, retry=True):
        """One WebDriver request. tauri-driver sometimes drops a connection without answering
        (RemoteDisconnected) while the app is fine: requests that are safe to repeat (everything
        but a click) are sent again, up to 3 times."""
        data = json.dumps(body).encode() if body is not None else None
        for attempt in range(3 if retry else 1):
            req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
            try:
                with urllib.request.urlopen(req, timeout=120) as r:
                    return json.loads(r.read() or b"{}")
            except urllib.error.HTTPError as e:
                raise RuntimeError(f"{method} {url}: HTTP {e.code}: {e.read()[:300]!r}") from None
            except (http.client.RemoteDisconnected, ConnectionResetError):
                if not retry or attempt == 2:
                    raise
                time.sleep(0.3)
        raise RuntimeError("unreachable")

    def cmd(self, method, path, body=None, retry=True):
        return self._req(method, f"{self.base}/session/{self.sid}{path}", body, retry)["value"]

    def js(self, script, *args):
        return self.cmd("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait(self, css: str, timeout=SHORT) -> str:
        end = time.time() + timeout
        while time.time() < end:
            if self.js("const e=document.querySelector(arguments[0]); return !!e && e.getClientRects().length>0;", css) is True:
                try:
                    v = self.cmd("POST", "/element", {"using": "css selector", "value": css})
                    return next(iter(v.values()))
                except RuntimeError:
                    pass
            time.sleep(0.15)
        text = self.js("return document.body ? document.body.innerText : ''") or ""
        raise RuntimeError(f"timed out waiting for {css}; the page said: {text[:400]}")

    def click(self, css: str):
        self.wait(css)
        end = time.time() + SHORT
        while self.js("const e=document.querySelector(arguments[0]); return !!e && !e.disabled;", css) is not True:
            if time.time() > end:
                raise RuntimeError(f"{css} stayed disabled")
            time.sleep(0.15)
        eid = self.wait(css)
        self.cmd("POST", f"/element/{eid}/click", {}, retry=False)

    def screenshot(self, path: pathlib.Path):
        # The app draws without accelerated compositing, and WebKitGTK then answers a
        # screenshot only once the page paints again: REPAINT_SOON makes that paint.
        self.js(REPAINT_SOON)
        path.write_bytes(base64.b64decode(self.cmd("GET", "/screenshot")))

    def close(self):
        try:
            self._req("DELETE", f"{self.base}/session/{self.sid}")
        except Exception:  # noqa: BLE001
            pass


def allow_consent(url: str, ca: pathlib.Path):
    """Loads the emulator's consent page and posts "Allow" (what a person does in the browser)."""
    ctx = ssl.create_default_context(cafile=str(ca))
    with urllib.request.urlopen(url, context=ctx, timeout=30) as r:
        page = r.read().decode()

    def field(name):
        m = re.search(rf'name="{name}" value="([^"]*)"', page)
        return html.unescape(m.group(1)) if m else ""
    user = re.search(r'<option value="([^"]+)"', page)
    form = {"client_id": field("client_id"), "redirect_uri": field("redirect_uri"), "scope": field("scope"),
            "state": field("state"), "response_type": "code", "user_id": user.group(1) if user else "", "decision": "allow"}
    origin = url.split("/oauth/")[0]

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *a, **k):
            return None
    opener = urllib.request.build_opener(NoRedirect, urllib.request.HTTPSHandler(context=ctx))
    try:
        opener.open(urllib.request.Request(f"{origin}/oauth/auth", data=urllib.parse.urlencode(form).encode(), method="POST"), timeout=30)
        raise RuntimeError("Allow did not redirect")
    except urllib.error.HTTPError as e:
        if e.code != 302 or "code=" not in (e.headers.get("Location") or ""):
            raise RuntimeError(f"Allow answered HTTP {e.code}") from None


def main() -> int:
    app, idle, shot = sys.argv[1], float(sys.argv[2]), pathlib.Path(sys.argv[3])
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="dsjwt-bench-wizard-"))
    data, fakebin, opened = tmp / "data", tmp / "fakebin", tmp / "opened.txt"
    data.mkdir()
    fakebin.mkdir()
    for name in ("xdg-open", "gio", "gnome-open", "kde-open", "x-www-browser", "sensible-browser"):
        p = fakebin / name
        p.write_text(f"#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{opened}'\nexit 0\n")
        p.chmod(0o755)
    xvfb, display = start_xvfb(tmp)
    driver_bin = shutil.which("tauri-driver") or str(pathlib.Path.home() / ".cargo/bin/tauri-driver")
    port, native = free_port(), free_port()
    env = dict(os.environ, DISPLAY=display, PATH=f"{fakebin}:{os.environ.get('PATH', '')}")
    env.pop("BROWSER", None)
    env.pop("XDG_CURRENT_DESKTOP", None)
    env.setdefault("DSJWT_KEYRING_SERVICE", f"dev.dsjwt.studio.bench.{os.getpid()}")
    # its own process group, so WebKitWebDriver and the app go with it at the end
    driver_log = open(tmp / "driver.log", "w")
    driver = subprocess.Popen([driver_bin, "--port", str(port), "--native-port", str(native)], env=env,
                              stdout=subprocess.DEVNULL, stderr=driver_log, start_new_session=True)
    step = "starting the WebDriver session"
    result: dict = {}
    wd = None
    try:
        t0 = time.perf_counter()
        wd = WebDriver(f"http://127.0.0.1:{port}", app, ["--data-dir", str(data)])
        step = "first-run screen: Start the sandbox"
        wd.click("#start-sandbox")
        step = "wizard: integration key step"
        wd.wait("[data-wizard-step='app']", LONG)
        wd.wait("#s-integration_key[data-tone='ok']")
        wd.wait("#s-redirect_uri[data-tone='ok']")
        wd.click("#wizard-next")
        step = "wizard: user step"
        wd.wait("[data-wizard-step='user'] #s-user_id[data-tone='ok']")
        wd.click("#wizard-next")
        step = "wizard: key step"
        wd.wait("[data-wizard-step='key'] #key-accepted")
        wd.click("#wizard-next")
        step = "wizard: consent step"
        wd.wait("[data-wizard-step='consent']")
        wd.wait("#consent-status[data-phase='waiting']", LONG)
        wd.click("#open-consent")
        end = time.time() + SHORT
        url = ""
        while time.time() < end and not url:
            if opened.exists():
                url = next((ln.strip() for ln in reversed(opened.read_text().splitlines()) if ln.strip()), "")
            time.sleep(0.1)
        if not url:
            raise RuntimeError("the app opened no consent URL")
        ca = next(data.rglob("ca.pem"), None)
        if ca is None:
            raise RuntimeError("no ca.pem in the app's data folder")
        allow_consent(url, ca)
        step = "wizard: consent confirmed"
        wd.wait("#consent-confirmed", LONG)
        wd.click("#wizard-next")
        step = "wizard: account step and save"
        wd.wait("[data-wizard-step='account'] [data-account]")
        wd.click("[data-account]")
        wd.wait("#s-base_uri[data-tone='ok']")
        wd.click("#wizard-save")
        wd.wait("#health-verdict", LONG)
        result["wizard_seconds"] = time.perf_counter() - t0
        step = "idle memory"
        result["verdict"] = wd.js("const e=document.querySelector('#health-verdict'); return e ? e.innerText : null;")
        time.sleep(idle)
        apps = [p for p in proc_tree(driver.pid) if os.path.realpath(f"/proc/{p}/exe") == os.path.realpath(app)]
        if not apps:
            raise RuntimeError("the app process was not found under tauri-driver")
        tree = proc_tree(apps[0])
        mems = {p: mem_of(p) for p in tree}
        result["main_rss_kb"] = mems[apps[0]][0]
        result["tree_rss_kb"] = sum(m[0] for m in mems.values())
        result["tree_pss_kb"] = sum(m[1] for m in mems.values())
        result["per_process"] = per_process(tree)
        result["other_webkit"] = other_webkit_processes(tree)
        result["processes"] = sorted(pathlib.Path(f"/proc/{p}/comm").read_text().strip() for p in tree if pathlib.Path(f"/proc/{p}/comm").exists())
        wd.screenshot(shot)
    except Exception as e:  # noqa: BLE001
        alive = []
        for pid in proc_tree(driver.pid):
            try:
                alive.append(pathlib.Path(f"/proc/{pid}/comm").read_text().strip())
            except OSError:
                pass
        result["error"] = f"{step}: {e} (still running: {', '.join(alive) or 'nothing'})"[:600]
        if os.environ.get("BENCH_WIZARD_DEBUG"):
            print((tmp / "driver.log").read_text()[-3000:], file=sys.stderr)
            for f in data.rglob("*.log"):
                print(f, f.read_text()[-2000:], file=sys.stderr)
    finally:
        if wd:
            wd.close()
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(driver.pid, sig)
            except ProcessLookupError:
                break
            try:
                driver.wait(timeout=10)
                time.sleep(0.5)  # let WebKitWebDriver and the app go too
            except subprocess.TimeoutExpired:
                pass
        xvfb.terminate()
        try:
            xvfb.wait(timeout=10)
        except subprocess.TimeoutExpired:
            xvfb.kill()
        shutil.rmtree(tmp, ignore_errors=True)
    print(json.dumps(result))
    return 0 if "error" not in result else 1


if __name__ == "__main__":
    sys.exit(main())
