// The official docusign-esign Node SDK (npm, pinned in package.json, unmodified) against the
// emulator over HTTPS: JWT -> userinfo -> all nine actions, plus form data, the account
// lookup by short number (F40), an application token (F38) and DocuSign's error bodies.
// The SDK is an independent client: if the emulator's JSON or paths drifted from DocuSign's,
// its generated models and calls would fail here. Started by run.js (which sets
// NODE_EXTRA_CA_CERTS and DSJWT_SANDBOX, the emulator's ready line).
"use strict";
const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("fs");
const https = require("https");
const docusign = require("docusign-esign");

const sb = JSON.parse(process.env.DSJWT_SANDBOX || "{}");
const host = String(sb.url || "").replace(/^https:\/\//, "");
const acc = sb.account_id;
const NDA = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01";
const SCOPES = ["signature", "impersonation"];

function client() {
  const api = new docusign.ApiClient({ basePath: sb.url + "/restapi" });
  api.setOAuthBasePath(host); // the constructor derives it from basePath
  return api;
}

async function authed() {
  const api = client();
  const key = fs.readFileSync(sb.private_key);
  const token = await api.requestJWTUserToken(sb.integration_key, sb.user_id, SCOPES, key, 3600);
  assert.equal(token.body.token_type, "Bearer");
  api.addDefaultHeader("Authorization", "Bearer " + token.body.access_token);
  return { api, token: token.body.access_token };
}

/** POST to the emulator's admin API (sandbox controls). */
function admin(path, body) {
  return new Promise((resolve, reject) => {
    const data = JSON.stringify(body);
    const req = https.request(
      sb.url + "/__emulator/" + path,
      { method: "POST", headers: { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(data) } },
      (res) => {
        let text = "";
        res.on("data", (c) => (text += c));
        res.on("end", () => (res.statusCode === 200 ? resolve(JSON.parse(text)) : reject(new Error(res.statusCode + " " + text))));
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** The status and DocuSign errorCode of a failed SDK call. */
async function failure(promise) {
  try {
    await promise;
  } catch (err) {
    const r = err.response || {};
    return { status: r.status, body: r.data || {} };
  }
  assert.fail("the call succeeded");
}

test("JWT, userinfo and all nine actions", async () => {
  const { api, token } = await authed();
  const info = await api.getUserInfo(token);
  assert.ok(info.accounts.some((a) => a.accountId === acc), "userinfo lists the account");

  const envelopes = new docusign.EnvelopesApi(api);
  const templates = new docusign.TemplatesApi(api);

  // list_templates
  const results = await templates.listTemplates(acc);
  const names = results.envelopeTemplates.map((t) => t.name);
  assert.ok(names.includes("Mutual NDA") && names.includes("Offer Letter"), names.join(","));

  // get_template_roles
  const roles = await templates.listRecipients(acc, NDA, { includeTabs: "true" });
  const signer = roles.signers.find((s) => s.roleName === "Signer 1");
  assert.ok(signer.tabs.textTabs.some((t) => t.tabLabel === "CustomerAddress"));

  // send_envelope_from_template
  const summary = await envelopes.createEnvelope(acc, {
    envelopeDefinition: {
      templateId: NDA,
      status: "sent",
      emailSubject: "Node SDK NDA",
      templateRoles: [
        {
          roleName: "Signer 1",
          name: "Grace Hopper",
          email: "grace@example.com",
          tabs: { textTabs: [{ tabLabel: "CustomerAddress", value: "1 Navy Yard" }] },
        },
      ],
    },
  });
  assert.equal(summary.status, "sent");
  const id = summary.envelopeId;

  // list_envelopes (listStatusChanges with from_date)
  const since = new Date(Date.now() - 30 * 86400e3).toISOString();
  const listed = await envelopes.listStatusChanges(acc, { fromDate: since, include: "recipients,custom_fields" });
  assert.ok(listed.envelopes.some((e) => e.envelopeId === id));

  // get_envelope
  const env = await envelopes.getEnvelope(acc, id, { include: "custom_fields" });
  assert.equal(env.status, "sent");
  assert.ok(env.customFields.textCustomFields.some((f) => f.value === NDA));

  // get_recipient_status
  const recipients = await envelopes.listRecipients(acc, id);
  assert.equal(recipients.signers[0].name, "Grace Hopper");
  assert.equal(recipients.signers[0].status, "sent");

  // sign (sandbox control), then get_tab_values
  await admin(`accounts/${acc}/envelopes/${id}/recipients/1/sign`, { tabs: { Amount: "42" } });
  const tabs = await envelopes.listTabs(acc, id, "1");
  assert.equal(tabs.textTabs.find((t) => t.tabLabel === "CustomerAddress").value, "1 Navy Yard");
  assert.equal(tabs.numberTabs.find((t) => t.tabLabel === "Amount").value, "42");
  // F44: Date Signed is the user's regional text, not ISO 8601
  const signed = tabs.dateSignedTabs.find((t) => t.tabLabel === "DateSigned1").value;
  assert.match(signed, /^\d\d\/\d\d\/\d{4} \| \d\d:\d\d (AM|PM) PST$/);

  // form data
  const form = await envelopes.getFormData(acc, id);
  assert.equal(form.envelopeId, id);
  assert.equal(form.formData.find((f) => f.name === "CustomerAddress").value, "1 Navy Yard");
  assert.equal(form.recipientFormData[0].name, "Grace Hopper");

  // download_document
  const pdf = await envelopes.getDocument(acc, id, "combined");
  assert.ok(Buffer.from(pdf).subarray(0, 5).toString() === "%PDF-", "a PDF");

  // void_envelope: a second, sent envelope
  const second = await envelopes.createEnvelope(acc, {
    envelopeDefinition: {
      templateId: NDA,
      status: "sent",
      templateRoles: [{ roleName: "Signer 1", name: "Alan Turing", email: "alan@example.com" }],
    },
  });
  await envelopes.update(acc, second.envelopeId, { envelope: { status: "voided", voidedReason: "Node SDK test" } });
  assert.equal((await envelopes.getEnvelope(acc, second.envelopeId)).status, "voided");
});

test("F40: the short account number resolves to the API Account ID", async () => {
  const { api } = await authed();
  const accounts = new docusign.AccountsApi(api);
  const number = (await accounts.getAccountInformation(acc)).externalAccountId;
  assert.match(number, /^\d+$/);
  const byNumber = await accounts.getAccountInformation(number);
  assert.equal(byNumber.accountIdGuid, acc);
});

test("F38: an application token is refused by userinfo and the eSignature API", async () => {
  const api = client();
  const key = fs.readFileSync(sb.private_key);
  const token = await api.requestJWTApplicationToken(sb.integration_key, SCOPES, key, 3600);
  assert.equal(token.body.token_type, "Application");
  const info = await failure(api.getUserInfo(token.body.access_token));
  assert.equal(info.status, 401);
  api.addDefaultHeader("Authorization", "Bearer " + token.body.access_token);
  const rest = await failure(new docusign.TemplatesApi(api).listTemplates(acc));
  assert.equal(rest.status, 401);
  assert.equal(rest.body.errorCode, "USER_AUTHENTICATION_FAILED");
});

test("DocuSign's error bodies reach the SDK", async () => {
  const { api } = await authed();
  const envelopes = new docusign.EnvelopesApi(api);
  const missing = await failure(envelopes.getEnvelope(acc, "00000000-0000-4000-8000-000000000000"));
  assert.equal(missing.status, 400);
  assert.equal(missing.body.errorCode, "ENVELOPE_DOES_NOT_EXIST");
  const noDate = await failure(envelopes.listStatusChanges(acc));
  assert.equal(noDate.body.errorCode, "INVALID_REQUEST_PARAMETER");
  // a bearer token DocuSign never issued
  const bad = client();
  bad.addDefaultHeader("Authorization", "Bearer not-a-token");
  const refused = await failure(new docusign.TemplatesApi(bad).listTemplates(acc));
  assert.equal(refused.status, 401);
  assert.equal(refused.body.errorCode, "USER_AUTHENTICATION_FAILED");
});
