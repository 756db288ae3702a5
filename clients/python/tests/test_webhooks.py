import base64
import hashlib
import hmac
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tapin import Tapin, Webhook, WebhookVerificationError, sign_webhook, verify_webhook


def test_matches_the_specification_example():
    # The Standard Webhooks specification's own example.
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
    msg_id, ts, body = "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, '{"test": 2432232314}'
    assert sign_webhook(secret, msg_id, ts, body) == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE="
    headers = {"webhook-id": msg_id, "webhook-timestamp": str(ts), "webhook-signature": sign_webhook(secret, msg_id, ts, body)}
    assert verify_webhook(secret, body, headers, now=ts + 10) == {"test": 2432232314}
    with pytest.raises(WebhookVerificationError, match="in the future"):
        verify_webhook(secret, body, headers, now=ts - 301)


@pytest.fixture()
def receiver():
    got = []
    cond = threading.Condition()

    class H(BaseHTTPRequestHandler):
        def log_message(self, *a):
            pass

        def do_POST(self):
            raw = self.rfile.read(int(self.headers.get("content-length") or 0))
            with cond:
                got.append((raw, {k.lower(): v for k, v in self.headers.items()}))
                cond.notify_all()
            self.send_response(204)
            self.end_headers()

    server = ThreadingHTTPServer(("127.0.0.1", 0), H)
    threading.Thread(target=server.serve_forever, daemon=True).start()

    def delivery(event_type, handoff_id, timeout=30):
        end = time.monotonic() + timeout
        with cond:
            while True:
                for raw, headers in got:
                    p = json.loads(raw)
                    if p["type"] == event_type and p["handoff_id"] == handoff_id:
                        return raw, headers
                left = end - time.monotonic()
                assert left > 0, f"no {event_type} delivery for {handoff_id}"
                cond.wait(left)

    yield f"http://127.0.0.1:{server.server_address[1]}/tapin", delivery
    server.shutdown()
    server.server_close()


def test_real_delivery_tamper_old_timestamp_and_rotation(tapin, receiver):
    url, delivery = receiver
    with Tapin(tapin.base, tapin.admin_key) as admin, Tapin(tapin.base, tapin.agent_key) as agent:
        sub = admin.call("POST", "/webhooks", json={"url": url, "events": ["handoff.created"]}, idempotency_key="sub-1").data
        assert sub["secret"].startswith("whsec_")
        h = agent.handoff_to_human({"static_text": "webhook me"})
        raw, headers = delivery("handoff.created", h["id"])

        wh = Webhook(sub["secret"])
        event = wh.verify(raw, headers)
        assert event["type"] == "handoff.created"
        assert event["handoff_id"] == h["id"]
        assert event["event_id"] == headers["webhook-id"]

        with pytest.raises(WebhookVerificationError, match="no signature matches"):
            forged = h["id"][:-1] + ("1" if h["id"].endswith("0") else "0")
            tampered = raw.replace(h["id"].encode(), forged.encode())
            assert tampered != raw
            wh.verify(tampered, headers)
        with pytest.raises(WebhookVerificationError, match="too old"):
            wh.verify(raw, headers, now=int(headers["webhook-timestamp"]) + 301)
        other = "whsec_" + base64.b64encode(bytes(32)).decode()
        with pytest.raises(WebhookVerificationError):
            Webhook(other).verify(raw, headers)

        # Rotation: the next delivery is signed with both secrets; either verifies.
        rotated = admin.call("POST", f"/webhooks/{sub['id']}/rotate-secret", idempotency_key="rot-1").data
        h2 = agent.handoff_to_human({"static_text": "after rotation"})
        raw2, headers2 = delivery("handoff.created", h2["id"])
        assert len(headers2["webhook-signature"].split(" ")) == 2
        for secrets in ([sub["secret"]], [rotated["secret"]], [rotated["secret"], sub["secret"]]):
            assert verify_webhook(secrets, raw2, headers2)["handoff_id"] == h2["id"]
        # The signature is the standard one, computed here independently.
        b64 = rotated["secret"][len("whsec_"):]
        key = base64.b64decode(b64 + "=" * (-len(b64) % 4))
        mac = hmac.new(key, f"{headers2['webhook-id']}.{headers2['webhook-timestamp']}.".encode() + raw2, hashlib.sha256)
        assert "v1," + base64.b64encode(mac.digest()).decode() in headers2["webhook-signature"].split(" ")
