"""Starts `dsjwt emulator` (real HTTPS on loopback) for the official-SDK tests."""
import json
import os
import subprocess
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[2]


def dsjwt_bin() -> str:
    return os.environ.get("DSJWT_BIN", str(ROOT / "target" / "debug" / "dsjwt"))


class Sandbox:
    def __init__(self, tmp: pathlib.Path, grant_consent: bool):
        args = [dsjwt_bin(), "emulator", "--data-dir", str(tmp)]
        if grant_consent:
            args.append("--grant-consent")
        self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("dsjwt emulator exited before printing its ready line")
        self.info = json.loads(line)
        self.url = self.info["url"]
        self.host = self.url.removeprefix("https://")

    def stop(self):
        self.proc.terminate()
        self.proc.wait(timeout=10)


@pytest.fixture
def sandbox(tmp_path):
    sb = Sandbox(tmp_path, grant_consent=True)
    yield sb
    sb.stop()


@pytest.fixture
def sandbox_no_consent(tmp_path):
    sb = Sandbox(tmp_path, grant_consent=False)
    yield sb
    sb.stop()
