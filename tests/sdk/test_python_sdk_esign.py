"""All nine actions through the official docusign-esign Python SDK (PyPI),
unmodified, against the emulator's eSignature REST API over HTTPS.

The SDK is an independent client: if the emulator's JSON drifted from
DocuSign's (field names, types, paths), its generated models would fail here.
"""
import datetime
import pathlib
import urllib.request
import ssl
import json

from docusign_esign import (
    ApiClient,
    EnvelopesApi,
    TemplatesApi,
    EnvelopeDefinition,
    Envelope,
    TemplateRole,
    Tabs,
    Text,
)
from docusign_esign.client.configuration import Configuration
from docusign_esign.client.api_exception import ApiException
import pytest

NDA = "5d1f3a2b-7c4e-4f6a-9b8c-0d1e2f3a4b01"


def authed_client(sb):
    config = Configuration()
    config.ssl_ca_cert = sb.info["ca_cert"]
    client = ApiClient(host=sb.url + "/restapi", oauth_host_name=sb.host)
    key = pathlib.Path(sb.info["private_key"]).read_bytes()
    client.request_jwt_user_token(
        client_id=sb.info["integration_key"],
        user_id=sb.info["user_id"],
        oauth_host_name=sb.host,
        private_key_bytes=key,
        expires_in=3600,
        scopes=["signature", "impersonation"],
    )
    return client


def admin(sb, path, body):
    ctx = ssl.create_default_context(cafile=sb.info["ca_cert"])
    req = urllib.request.Request(sb.url + "/__emulator/" + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, context=ctx) as resp:
        return json.loads(resp.read() or b"null")


def test_all_nine_actions(sandbox, tmp_path):
    sb = sandbox
    acc = sb.info["account_id"]
    client = authed_client(sb)
    envelopes = EnvelopesApi(client)
    templates = TemplatesApi(client)

    # list_templates
    results = templates.list_templates(acc)
    names = sorted(t.name for t in results.envelope_templates)
    assert "Mutual NDA" in names and "Offer Letter" in names
    assert int(results.total_set_size) >= 2

    # get_template_roles
    roles = templates.list_recipients(acc, NDA, include_tabs="true")
    signer = [s for s in roles.signers if s.role_name == "Signer 1"][0]
    labels = [t.tab_label for t in signer.tabs.text_tabs]
    assert "CustomerAddress" in labels

    # send_envelope_from_template
    definition = EnvelopeDefinition(
        template_id=NDA,
        status="sent",
        email_subject="SDK NDA",
        template_roles=[TemplateRole(role_name="Signer 1", name="Grace Hopper", email="grace@example.com",
                                     tabs=Tabs(text_tabs=[Text(tab_label="CustomerAddress", value="1 Navy Yard")]))],
    )
    summary = envelopes.create_envelope(acc, envelope_definition=definition)
    env_id = summary.envelope_id
    assert summary.status == "sent"

    # list_envelopes (listStatusChanges with from_date)
    since = (datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(days=30)).strftime("%Y-%m-%dT%H:%M:%SZ")
    listed = envelopes.list_status_changes(acc, from_date=since, include="recipients,custom_fields")
    assert env_id in [e.envelope_id for e in listed.envelopes]
    assert int(listed.total_set_size) >= 1

    # get_envelope
    env = envelopes.get_envelope(acc, env_id, include="custom_fields")
    assert env.status == "sent"
    assert NDA in [f.value for f in env.custom_fields.text_custom_fields]

    # get_recipient_status
    recipients = envelopes.list_recipients(acc, env_id)
    assert recipients.signers[0].name == "Grace Hopper"
    assert recipients.signers[0].status == "sent"

    # sign it (sandbox control), then get_tab_values
    admin(sb, f"accounts/{acc}/envelopes/{env_id}/recipients/1/sign", {"tabs": {"Amount": "42"}})
    tabs = envelopes.list_tabs(acc, env_id, "1")
    values = {t.tab_label: t.value for t in tabs.text_tabs}
    assert values["CustomerAddress"] == "1 Navy Yard"
    assert [t.value for t in tabs.number_tabs if t.tab_label == "Amount"] == ["42"]

    # download_document (SDK 6.1 returns the body's bytes; older ones a temp file path)
    data = envelopes.get_document(acc, "combined", env_id)
    if isinstance(data, str):
        data = pathlib.Path(data).read_bytes()
    assert data.startswith(b"%PDF-")
    cert = envelopes.get_document(acc, "certificate", env_id)
    assert (cert if isinstance(cert, bytes) else pathlib.Path(cert).read_bytes()).startswith(b"%PDF-")

    # void_envelope: a second, sent envelope
    second = envelopes.create_envelope(acc, envelope_definition=EnvelopeDefinition(
        template_id=NDA, status="sent",
        template_roles=[TemplateRole(role_name="Signer 1", name="Alan Turing", email="alan@example.com")]))
    envelopes.update(acc, second.envelope_id, envelope=Envelope(status="voided", voided_reason="SDK test"))
    assert envelopes.get_envelope(acc, second.envelope_id).status == "voided"


def test_sdk_sees_docusign_errors(sandbox):
    sb = sandbox
    envelopes = EnvelopesApi(authed_client(sb))
    with pytest.raises(ApiException) as err:
        envelopes.get_envelope(sb.info["account_id"], "00000000-0000-4000-8000-000000000000")
    assert err.value.status == 400
    assert "ENVELOPE_DOES_NOT_EXIST" in err.value.body.decode()
    with pytest.raises(ApiException) as err:
        envelopes.list_status_changes(sb.info["account_id"])
    assert "INVALID_REQUEST_PARAMETER" in err.value.body.decode()
