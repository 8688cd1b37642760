// The health check done with the official docusign-esign Node SDK (npm, pinned in
// package.json): JWT -> /oauth/token -> /oauth/userinfo, then the account and base URI are
// checked locally, as `dsjwt check` does. Used by bench/bench.py (a cold process per run).
// Env: BENCH_CONN (the emulator's ready line as JSON). NODE_EXTRA_CA_CERTS must name the
// emulator's ca.pem (the SDK hard-codes https:// for OAuth; docusign-facts.md section 8).
"use strict";
const fs = require("fs");
const docusign = require("docusign-esign");

async function main() {
  const c = JSON.parse(process.env.BENCH_CONN);
  const host = c.url.replace(/^https:\/\//, "");
  const api = new docusign.ApiClient({ basePath: c.base_uri + "/restapi" });
  api.setOAuthBasePath(host); // the constructor derives it from basePath and ignores the option
  const key = fs.readFileSync(c.private_key);
  const token = await api.requestJWTUserToken(c.integration_key, c.user_id, ["signature", "impersonation"], key, 3600);
  const accessToken = token.body.access_token;
  const info = await api.getUserInfo(accessToken);
  const acc = (info.accounts || []).find((a) => a.accountId === c.account_id);
  if (!acc) throw new Error("account not found in userinfo");
  if (acc.baseUri.replace(/\/+$/, "") !== c.base_uri.replace(/\/+$/, "")) throw new Error("base URI mismatch: " + acc.baseUri);
  process.stdout.write(JSON.stringify({ ok: true, accounts: info.accounts.length }) + "\n");
}

main().catch((e) => {
  process.stderr.write("node sdk check failed: " + (e && e.stack ? e.stack : e) + "\n");
  process.exit(1);
});
