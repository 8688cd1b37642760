// Runs the official docusign-esign Node SDK tests (sdk.test.js) against `dsjwt emulator`.
//   DSJWT_BIN=target/debug/dsjwt node tests/node-sdk/run.js
// Starts the emulator (real HTTPS on loopback, default world, consent granted), then runs
// `node --test` with NODE_EXTRA_CA_CERTS set to the emulator's CA: the SDK hard-codes https://
// for OAuth and Node reads extra CAs only at start-up (docs/emulator.md, "Trusting its
// certificate"). Exits with the tests' status.
"use strict";
const { spawn, spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");
const readline = require("readline");

const root = path.resolve(__dirname, "..", "..");
const bin = process.env.DSJWT_BIN || path.join(root, "target", "debug", "dsjwt");
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "dsjwt-node-sdk-"));
const emu = spawn(bin, ["emulator", "--grant-consent", "--data-dir", dataDir], {
  stdio: ["ignore", "pipe", "inherit"],
});
let status = 1;
const finish = () => {
  emu.kill("SIGTERM");
  fs.rmSync(dataDir, { recursive: true, force: true });
  process.exit(status);
};
emu.on("exit", (code) => {
  if (status === 1 && !ready) {
    process.stderr.write(`dsjwt emulator exited (${code}) before printing its ready line\n`);
    finish();
  }
});
let ready = false;
readline.createInterface({ input: emu.stdout }).once("line", (line) => {
  ready = true;
  const info = JSON.parse(line);
  const child = spawnSync(process.execPath, ["--test", path.join(__dirname, "sdk.test.js")], {
    stdio: "inherit",
    env: { ...process.env, NODE_EXTRA_CA_CERTS: info.ca_cert, DSJWT_SANDBOX: line },
  });
  status = child.status === null ? 1 : child.status;
  finish();
});
