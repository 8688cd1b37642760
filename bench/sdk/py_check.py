"""The health check done with the official docusign-esign Python SDK (PyPI, pinned in
bench/requirements.txt): JWT -> /oauth/token -> /oauth/userinfo, then the account and base
URI are checked locally, as `dsjwt check` does. Used by bench/bench.py (a cold process per
run). Env: BENCH_CONN (the emulator's ready line as JSON)."""
import json
import os
import pathlib
import sys

from docusign_esign import ApiClient
from docusign_esign.client.configuration import Configuration


def main() -> int:
    c = json.loads(os.environ["BENCH_CONN"])
    host = c["url"].removeprefix("https://")
    config = Configuration()  # a singleton: the CA must be set before the ApiClient is made
    config.ssl_ca_cert = c["ca_cert"]
    config.verify_ssl = True
    api = ApiClient(host=c["base_uri"] + "/restapi", oauth_host_name=host)
    token = api.request_jwt_user_token(
        client_id=c["integration_key"],
        user_id=c["user_id"],
        oauth_host_name=host,
        private_key_bytes=pathlib.Path(c["private_key"]).read_bytes(),
        expires_in=3600,
        scopes=["signature", "impersonation"],
    )
    info = api.get_user_info(token.access_token)
    acc = [a for a in info.accounts if a.account_id == c["account_id"]]
    if not acc:
        print("account not found in userinfo", file=sys.stderr)
        return 1
    if acc[0].base_uri.rstrip("/") != c["base_uri"].rstrip("/"):
        print(f"base URI mismatch: {acc[0].base_uri}", file=sys.stderr)
        return 1
    print(json.dumps({"ok": True, "accounts": len(info.accounts)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
