"""`python -m devserver` as `make run` starts it, in its own process, for end-to-end tests.

Its own process keeps the stack's environment, module-level clients and moto state apart from
the tests that run handlers in-process on their own moto.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import boto3

ROOT = Path(__file__).resolve().parents[2]
_SERVING = re.compile(r"Serving the site and the API on (http://\S+?)/?\s")
_AWS = re.compile(r"Local AWS \(moto\): (http://\S+)\s+tables/bucket/queues: (.*)$")
_DESK = re.compile(r"Claims desk: \S+\s+user (\S+)\s+password (\S+)")
_READY = "Press Ctrl-C to stop."


@dataclass
class RunningStack:
    base_url: str
    aws_endpoint: str
    names: dict[str, str]
    process: subprocess.Popen[str]
    stderr_path: Path
    desk_user: str = ""  # the claims handler `make run` creates, with the password it prints once
    desk_password: str = ""

    def client(self, service: str) -> Any:
        make: Any = boto3.client
        return make(
            service,
            endpoint_url=self.aws_endpoint,
            region_name="ap-northeast-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )

    def log(self) -> str:
        return self.stderr_path.read_text(encoding="utf-8", errors="replace")


def devserver_command(site_dir: Path, port: int = 0) -> list[str]:
    return [sys.executable, "-m", "devserver", "--port", str(port), "--site-dir", str(site_dir)]


def devserver_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT / d) for d in ("functions", "website", "tools")])
    env["PYTHONUNBUFFERED"] = "1"
    return env


def _copy(stream: IO[str], path: Path) -> None:
    with path.open("a", encoding="utf-8") as out:
        for line in stream:
            out.write(line)
            out.flush()


@contextmanager
def running_devserver(site_dir: Path, log_dir: Path, startup_timeout: float = 60.0) -> Iterator[RunningStack]:
    stderr_path = log_dir / "devserver.log"
    stderr_path.write_text("", encoding="utf-8")
    # Appends only: the server's stderr and the copy of its stdout share the file.
    with stderr_path.open("a", encoding="utf-8") as err:
        process = subprocess.Popen(
            devserver_command(site_dir),
            cwd=ROOT,
            env=devserver_env(),
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        try:
            base_url = aws = user = password = ""
            names: dict[str, str] = {}
            deadline = time.monotonic() + startup_timeout
            assert process.stdout is not None
            while True:
                line = process.stdout.readline()
                if not line:
                    raise RuntimeError(f"devserver exited ({process.wait()}): {stderr_path.read_text()[-2000:]}")
                if m := _SERVING.search(line):
                    base_url = m.group(1)
                if m := _AWS.search(line):
                    aws = m.group(1)
                    names = dict(pair.split("=", 1) for pair in m.group(2).split(", "))
                if m := _DESK.search(line):
                    user, password = m.group(1), m.group(2)
                if _READY in line:
                    break
                if time.monotonic() > deadline:
                    raise RuntimeError("devserver did not start in time")
            # The functions log to stdout: copy it to the log, or a full pipe would stall the server.
            threading.Thread(target=_copy, args=(process.stdout, stderr_path), daemon=True).start()
            yield RunningStack(base_url, aws, names, process, stderr_path, user, password)
        finally:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
