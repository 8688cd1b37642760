"""The official docusign-esign Python SDK (PyPI), unmodified, against the emulator.

The SDK hard-codes https:// for OAuth and reads its CA from the Configuration
singleton, so the emulator's CA certificate is set there before the ApiClient
is made (docusign-facts.md section 8).
"""
import pathlib

import pytest
from docusign_esign import ApiClient
from docusign_esign.client.api_exception import ApiException
from docusign_esign.client.configuration import Configuration


def make_client(sb):
    config = Configuration()
    config.ssl_ca_cert = sb.info["ca_cert"]
    config.verify_ssl = True
    return ApiClient(host=sb.url + "/restapi", oauth_host_name=sb.host)


def request_token(sb, client):
    key = pathlib.Path(sb.info["private_key"]).read_bytes()
    return client.request_jwt_user_token(
        client_id=sb.info["integration_key"],
        user_id=sb.info["user_id"],
        oauth_host_name=sb.host,
        private_key_bytes=key,
        expires_in=3600,
        scopes=["signature", "impersonation"],
    )


def test_sdk_gets_a_token_and_reads_userinfo(sandbox):
    client = make_client(sandbox)
    token = request_token(sandbox, client)
    assert token.access_token
    assert token.token_type == "Bearer"
    assert int(token.expires_in) == 3600

    info = client.get_user_info(token.access_token)
    assert info.sub == sandbox.info["user_id"]
    accounts = info.accounts
    assert len(accounts) >= 1
    account = [a for a in accounts if a.account_id == sandbox.info["account_id"]][0]
    assert account.base_uri == sandbox.info["base_uri"]
    assert str(account.is_default) == "True"


def test_sdk_sees_consent_required_before_consent(sandbox_no_consent):
    client = make_client(sandbox_no_consent)
    with pytest.raises(ApiException) as err:
        request_token(sandbox_no_consent, client)
    assert "consent_required" in str(err.value)


def test_sdk_consent_url_is_served_by_emulator(sandbox_no_consent):
    sb = sandbox_no_consent
    client = make_client(sb)
    url = client.get_authorization_uri(
        client_id=sb.info["integration_key"],
        scopes=["signature", "impersonation"],
        redirect_uri=sb.info["redirect_uri"],
        response_type="code",
    )
    assert url.startswith(sb.url + "/oauth/auth?")
    # The SDK's own URL (redirect_uri not percent-encoded) opens the consent page.
    import urllib.request, ssl
    ctx = ssl.create_default_context(cafile=sb.info["ca_cert"])
    with urllib.request.urlopen(url, context=ctx) as resp:
        body = resp.read().decode()
    assert "Allow" in body and "Deny" in body
