"""The app served as in production (gunicorn, DEBUG off), a logged-in HTTP session against it,
and the peak memory of its workers."""

import http.client
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

WORKERS = 2
# Twice production's 60 s, so that a slow page is measured rather than cut off, yet bounded.
REQUEST_TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn:
    """`gunicorn -c gunicorn.conf.py` with 2 workers on a free loopback port. Worker recycling
    (max_requests) is off: a restart in the middle of a measurement would skew it and reset the
    workers' peak memory; the request timeout is REQUEST_TIMEOUT."""

    def __init__(self, *, base_dir: Path, env: dict[str, str], log: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "-c",
            str(base_dir / "gunicorn.conf.py"),
            f"--workers={WORKERS}",
            f"--bind=127.0.0.1:{self.port}",
            "--max-requests=0",
            f"--timeout={REQUEST_TIMEOUT}",
            "coordination.wsgi",
        ]
        self._log = log.open("w")
        self.process = subprocess.Popen(
            command, cwd=base_dir, env=env, stdout=self._log, stderr=subprocess.STDOUT
        )

    def __enter__(self) -> "Gunicorn":
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {self._log.name}")
            try:
                if Session(self.base_url).get("/healthz").status == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {self._log.name}")

    def __exit__(self, *exc_info) -> None:
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._log.close()

    def worker_pids(self) -> list[int]:
        pid = self.process.pid
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        return [int(child) for child in children]

    def reset_peak_memory(self) -> bool:
        """Linux resets a process's peak RSS (VmHWM) when 5 is written to its clear_refs."""
        try:
            for pid in self.worker_pids():
                Path(f"/proc/{pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True

    def peak_memory_mb(self) -> float:
        """The largest peak resident memory of a worker (VmHWM)."""
        return max(peak for _, peak in self.worker_memory_mb())

    def worker_memory_mb(self) -> list[tuple[float, float]]:
        """Each worker's resident memory now (VmRSS) and at its peak (VmHWM)."""
        memory = []
        for pid in self.worker_pids():
            status = Path(f"/proc/{pid}/status").read_text()
            now, peak = (
                int(re.search(rf"{name}:\s+(\d+) kB", status)[1]) / 1024
                for name in ("VmRSS", "VmHWM")
            )
            memory.append((now, peak))
        return memory


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes
    size: int
    seconds: float


@dataclass
class Session:
    """A minimal cookie-keeping HTTP client on loopback (a new connection per request)."""

    base_url: str
    cookies: dict[str, str] = field(default_factory=dict)

    @property
    def cookie_header(self) -> str:
        return "; ".join(f"{name}={value}" for name, value in self.cookies.items())

    def request(
        self,
        method: str,
        path: str,
        *,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        keep_body: bool = True,
        timeout: float = REQUEST_TIMEOUT + 10,
    ) -> Response:
        host, port = self.base_url.removeprefix("http://").split(":")
        headers = {**(headers or {}), **({"Cookie": self.cookie_header} if self.cookies else {})}
        started = time.monotonic()
        connection = http.client.HTTPConnection(host, int(port), timeout=timeout)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            chunks, size = [], 0
            while chunk := response.read(1 << 16):
                size += len(chunk)
                if keep_body:
                    chunks.append(chunk)
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return Response(
                status=response.status,
                headers={k.lower(): v for k, v in response.getheaders()},
                body=b"".join(chunks),
                size=size,
                seconds=time.monotonic() - started,
            )
        finally:
            connection.close()

    def get(self, path: str, **kwargs) -> Response:
        return self.request("GET", path, **kwargs)

    def csrf_token(self, path: str) -> str:
        """The form's CSRF token from a page (its cookie is kept)."""
        page = self.get(path)
        token = self.hidden_value(page.body, "csrfmiddlewaretoken")
        if page.status != 200 or not token:
            raise RuntimeError(f"No form with a CSRF token at {path} (HTTP {page.status})")
        return token

    def post_form(self, path: str, fields: dict[str, str | list[str]]) -> Response:
        """A form as a browser posts it; a list is a field sent once per value."""
        fields = {"csrfmiddlewaretoken": self.csrf_token(path), **fields}
        return self.request(
            "POST",
            path,
            body=urlencode(fields, doseq=True).encode(),
            headers={"Content-Type": "application/x-www-form-urlencoded"},
        )

    def post_multipart(
        self, path: str, fields: dict[str, str], files: dict[str, tuple[str, bytes]]
    ) -> Response:
        """A form with file fields, as a browser posts it (multipart/form-data)."""
        boundary = f"----bench{secrets.token_hex(12)}"
        fields = {"csrfmiddlewaretoken": self.csrf_token(path), **fields}
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
            for name, value in fields.items()
        ]
        for name, (filename, content) in files.items():
            parts.append(
                f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(
            "POST",
            path,
            body=b"".join(parts),
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
        )

    @staticmethod
    def hidden_value(html: bytes, name: str) -> str:
        """The value of a form's input with this name, or ""."""
        match = re.search(rb'name="' + name.encode() + rb'" value="([^"]*)"', html)
        return match[1].decode() if match else ""


def logged_in(base_url: str, username: str, password: str) -> Session:
    session = Session(base_url)
    response = session.post_form("/accounts/login/", {"username": username, "password": password})
    if response.status != 302 or "sessionid" not in session.cookies:
        raise RuntimeError(f"Could not log in as {username} (HTTP {response.status})")
    return session
