"""Test harness: a real tapin (``TAPIN_BIN``, else the repository's debug build) on a
free port with a throwaway SQLite database, set up with the admin CLI as an operator
would; and a small demo site (login → 2FA code → success) on http.server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Callable, Dict, List
from urllib.parse import parse_qs, urlparse

REPO = Path(__file__).resolve().parents[3]
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def tapin_binary() -> Path:
    if os.environ.get("TAPIN_BIN"):
        return Path(os.environ["TAPIN_BIN"]).resolve()
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    return target / "debug" / "tapin"


def site_root(binary: Path) -> Path:
    """The site tapin serves (pkg/ JS+WASM, CSS): ``TAPIN_SITE_ROOT``, else ``target/site``
    next to the binary's ``target/<profile>/``. tapin starts here in clients/python, where
    its default ``target/site`` is not; without it the pages would not hydrate."""
    if os.environ.get("TAPIN_SITE_ROOT"):
        return Path(os.environ["TAPIN_SITE_ROOT"]).resolve()
    return (binary.parent.parent / "site").resolve()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class TapinServer:
    base: str
    agent_key: str
    """read, handoffs:write, approvals:write: what an agent gets."""
    decider_key: str
    """approvals:decide: another principal, as tapin requires for decisions."""
    admin_key: str
    org: str
    operator_email: str
    operator_password: str
    cli: Callable[..., str]
    stop: Callable[[], None]


def start_tapin() -> TapinServer:
    binary = tapin_binary()
    if not binary.exists():
        raise RuntimeError(f"no tapin binary at {binary}: build it (cargo build --features ssr --bin tapin) or set TAPIN_BIN")
    tmp = tempfile.mkdtemp(prefix="tapin-py-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env: Dict[str, str] = {
        **os.environ,
        "TAPIN_CONFIG": os.path.join(tmp, "none.toml"),
        "TAPIN_DATABASE_URL": f"sqlite://{os.path.join(tmp, 'tapin.db')}",
        "TAPIN_MASTER_KEY_FILE": os.path.join(tmp, "master.key"),
        "TAPIN_SITE_ROOT": str(site_root(binary)),
        "LEPTOS_SITE_ADDR": f"127.0.0.1:{port}",
        "TAPIN_PUBLIC_URL": base,
        "TAPIN_LOG": "warn",
        "TAPIN_ALLOW_PRIVATE_TARGETS": "true",  # the test's webhook receiver is on loopback
        "TAPIN_WEBHOOK_POLL_MS": "100",
    }

    def cli(*args: str, input: str = "") -> str:
        done = subprocess.run([str(binary), *args], env=env, check=True, capture_output=True, text=True, input=input)
        return done.stdout.strip()

    org = "clients"
    cli("org", "create", org, "--name", "Client tests")
    agent_key = cli("api-key", "create", "--org", org, "--scopes", "read,handoffs:write,approvals:write", "--name", "agent")
    decider_key = cli("api-key", "create", "--org", org, "--scopes", "read,approvals:decide", "--name", "decider")
    admin_key = cli("api-key", "create", "--org", org, "--scopes", "admin", "--name", "admin")
    operator_email = "operator@clients.test"
    operator_password = "a long operator password"
    cli(
        "operator", "create", "--org", org, "--email", operator_email, "--name", "Olivia Operator",
        "--role", "admin", "--password", "-", input=operator_password + "\n",
    )

    log = open(os.path.join(tmp, "server.log"), "wb")
    proc = subprocess.Popen([str(binary), "serve"], env=env, stdout=subprocess.DEVNULL, stderr=log)
    deadline = time.monotonic() + 60
    while True:
        if proc.poll() is not None:
            raise RuntimeError("tapin exited: " + Path(tmp, "server.log").read_text())
        try:
            with urllib.request.urlopen(f"{base}/api/v1/healthz", timeout=2) as r:
                if r.status == 200:
                    break
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise RuntimeError("tapin did not start: " + Path(tmp, "server.log").read_text())
        time.sleep(0.1)

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        shutil.rmtree(tmp, ignore_errors=True)

    return TapinServer(base, agent_key, decider_key, admin_key, org, operator_email, operator_password, cli, stop)


def _page(title: str, body: str) -> bytes:
    return (
        f'<!doctype html><html><head><meta charset="utf-8"><title>{title}</title>'
        "<style>body{font:16px system-ui;margin:40px} input,button{font-size:18px;padding:6px}</style>"
        f"</head><body>{body}</body></html>"
    ).encode()


@dataclass
class DemoSite:
    base: str
    code: str
    """The code the 2FA page shows (as a phone would receive it)."""
    stop: Callable[[], None]


def start_demo_site(code: str = "428193") -> DemoSite:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:  # quiet
            pass

        def send(self, status: int, body: bytes = b"", location: str = "") -> None:
            self.send_response(status)
            self.send_header("content-type", "text/html; charset=utf-8")
            if location:
                self.send_header("location", location)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def form(self) -> Dict[str, List[str]]:
            n = int(self.headers.get("content-length") or 0)
            return parse_qs(self.rfile.read(n).decode())

        def do_GET(self) -> None:
            url = urlparse(self.path)
            if url.path == "/login":
                return self.send(200, _page("Sign in",
                    '<h1>Sign in to Demo CRM</h1><form method="post" action="/login">'
                    '<p><label>Email <input name="email" type="email" id="email"></label></p>'
                    '<p><label>Password <input name="password" type="password" id="password"></label></p>'
                    '<p><button id="signin" type="submit">Sign in</button></p></form>'))
            if url.path == "/2fa":
                wrong = '<p role="alert">That code is not right.</p>' if "wrong" in url.query else ""
                return self.send(200, _page("Verify it is you",
                    f"<h1>Verify it's you</h1>{wrong}<p id=\"sms\">We sent a code to your phone. "
                    f"(Demo: the code is <b>{code}</b>.)</p>"
                    '<form method="post" action="/2fa"><p><label for="otp">Verification code</label> '
                    '<input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" maxlength="6"></p>'
                    '<p><button type="submit">Verify</button></p></form>'))
            if url.path == "/success":
                return self.send(200, _page("Welcome", '<h1 id="welcome">Welcome back, you are signed in.</h1>'))
            self.send(404, _page("Not found", "<h1>Not found</h1>"))

        def do_POST(self) -> None:
            url = urlparse(self.path)
            f = self.form()
            if url.path == "/login":
                return self.send(303, location="/2fa")
            if url.path == "/2fa":
                ok = f.get("otp", [""])[0] == code
                return self.send(303, location="/success" if ok else "/2fa?wrong")
            self.send(404)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    port = server.server_address[1]

    def stop() -> None:
        server.shutdown()
        server.server_close()

    # A host name (not an IP) as a real site has; Chromium resolves localhost itself.
    return DemoSite(f"http://localhost:{port}", code, stop)
