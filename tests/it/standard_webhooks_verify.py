"""Verifies webhook deliveries with the Standard Webhooks reference library
(PyPI `standardwebhooks`), as a receiver would: not with tapin's own code.

Reads a JSON array on stdin, one check per element:
    {"secret": "whsec_...", "headers": {"webhook-id": ...}, "body": "<raw body>"}
and writes a JSON array of the same length: {"ok": true} when
`Webhook(secret).verify(body, headers)` accepts it, else {"ok": false, "error": "..."}.
Exits 3 with a message when the library is missing.
"""

import json
import sys

try:
    from standardwebhooks import Webhook
    from standardwebhooks.webhooks import WebhookVerificationError
except ImportError as e:
    print(f"the Python package standardwebhooks is not installed ({e})", file=sys.stderr)
    sys.exit(3)


def check(c):
    try:
        Webhook(c["secret"]).verify(c["body"], c["headers"])
        return {"ok": True}
    except WebhookVerificationError as e:
        return {"ok": False, "error": str(e) or type(e).__name__}


print(json.dumps([check(c) for c in json.load(sys.stdin)]))
