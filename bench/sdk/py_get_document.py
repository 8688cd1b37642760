"""Downloads one document with the official docusign-esign Python SDK's
EnvelopesApi.get_document (which returns the whole body in memory) and writes it to a file.
Used by bench/bench.py. Env: BENCH_CONN (the emulator's ready line as JSON).
Usage: py_get_document.py ENVELOPE_ID DOCUMENT_ID OUT_FILE"""
import json
import os
import pathlib
import sys

from docusign_esign import ApiClient, EnvelopesApi
from docusign_esign.client.configuration import Configuration


def main() -> int:
    envelope_id, document_id, out = sys.argv[1], sys.argv[2], pathlib.Path(sys.argv[3])
    c = json.loads(os.environ["BENCH_CONN"])
    host = c["url"].removeprefix("https://")
    config = Configuration()
    config.ssl_ca_cert = c["ca_cert"]
    config.verify_ssl = True
    api = ApiClient(host=c["base_uri"] + "/restapi", oauth_host_name=host)
    api.request_jwt_user_token(
        client_id=c["integration_key"],
        user_id=c["user_id"],
        oauth_host_name=host,
        private_key_bytes=pathlib.Path(c["private_key"]).read_bytes(),
        expires_in=3600,
        scopes=["signature", "impersonation"],
    )
    # positional order is alphabetical: account_id, document_id, envelope_id (facts section 8)
    data = EnvelopesApi(api).get_document(c["account_id"], document_id, envelope_id)
    if isinstance(data, str):  # older SDKs return a temp file path
        data = pathlib.Path(data).read_bytes()
    out.write_bytes(data)
    print(json.dumps({"ok": True, "bytes": len(data)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
