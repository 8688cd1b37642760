"""Token reuse across processes: N consecutive `dsjwt action list-templates` processes with the
token kept in the OS keyring (the default) and N with `--no-token-cache`, against a running
emulator. Counts the `/oauth/token` requests in the emulator's request log and times each
process. Run inside `scripts/with-keyring.sh` (a throw-away D-Bus session and unlocked
gnome-keyring: the token goes there, not into your own keyring); bench.py does that.

    scripts/with-keyring.sh python bench/token_processes.py DSJWT EMULATOR_INFO_JSON DATA_DIR N

Prints one JSON object: {"cached": {...}, "uncached": {...}}, each with "token_requests",
"runs", "wall" (seconds per process) and "command"; or {"error": "..."}.
"""
from __future__ import annotations

import json
import ssl
import subprocess
import sys
import time
import urllib.request


def main() -> int:
    dsjwt, info_path, data_dir, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    info = json.loads(open(info_path).read())
    ctx = ssl.create_default_context(cafile=info["ca_cert"])

    def admin(method: str, path: str):
        req = urllib.request.Request(f"{info['url']}/__emulator/{path}", method=method)
        with urllib.request.urlopen(req, context=ctx, timeout=60) as r:
            raw = r.read()
        return json.loads(raw) if raw else None

    flags = ["--integration-key", info["integration_key"], "--user-id", info["user_id"],
             "--private-key", info["private_key"], "--account-id", info["account_id"],
             "--base-uri", info["base_uri"], "--auth-server", info["url"], "--ca-cert", info["ca_cert"],
             "--data-dir", data_dir]
    out = {}
    for label, extra in (("cached", []), ("uncached", ["--no-token-cache"])):
        admin("DELETE", "requests")
        walls = []
        for i in range(n):
            t0 = time.perf_counter()
            p = subprocess.run([dsjwt, "action", *flags, "list-templates", *extra], capture_output=True, text=True, timeout=300)
            walls.append(time.perf_counter() - t0)
            if p.returncode != 0:
                print(json.dumps({"error": f"{label} run {i + 1}: exit {p.returncode}: {p.stdout[:300]} {p.stderr[-300:]}"}))
                return 1
            if "keyring" in p.stderr:
                print(json.dumps({"error": f"{label} run {i + 1}: {p.stderr.strip()[-300:]}"}))
                return 1
        reqs = admin("GET", "requests")
        out[label] = {
            "runs": n,
            "token_requests": sum(1 for r in reqs if r["path"] == "/oauth/token"),
            "rest_calls": sum(1 for r in reqs if r["path"].startswith("/restapi/")),
            "wall": walls,
            "command": "dsjwt action list-templates" + (" --no-token-cache" if extra else "") + " <connection flags>",
        }
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
