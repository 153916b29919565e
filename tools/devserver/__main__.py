"""`python -m devserver`: the site, the API and a local AWS on http://127.0.0.1:8000 until Ctrl-C."""

from __future__ import annotations

import argparse
import errno
import signal
import sys
import threading
from pathlib import Path
from types import FrameType

from devserver.stack import SITE_DIR, LocalStack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devserver", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8000, help="port of the site and API (0 = any free port)")
    parser.add_argument("--site-dir", type=Path, default=SITE_DIR, help="built site to serve (default site/)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)

    if not (args.site_dir / "index.html").is_file():
        print(f"devserver: no built site in {args.site_dir} (run `make site` first)", file=sys.stderr)
        return 2

    stop = threading.Event()

    def on_signal(_signum: int, _frame: FrameType | None) -> None:
        stop.set()

    log = None if args.quiet else (lambda line: print(line, file=sys.stderr, flush=True))
    try:
        stack = LocalStack(port=args.port, site_dir=args.site_dir, host=args.host, log=log)
        stack.start()
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            print(
                f"devserver: port {args.port} on {args.host} is already in use. "
                f"Stop the program using it, or choose another port: python -m devserver --port 8001",
                file=sys.stderr,
            )
            return 2
        raise

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(f"Serving the site and the API on {stack.base_url}/  (API under {stack.base_url}/api/v1/)", flush=True)
    print(f"Local AWS (moto): {stack.aws_endpoint}  tables/bucket/queues: {_names(stack)}", flush=True)
    if stack.staff is not None:
        # printed this once and kept nowhere: a new password on every start
        print(
            f"Claims desk: {stack.base_url}/desk/  user {stack.staff.username}  password {stack.staff.password}",
            flush=True,
        )
    print("Press Ctrl-C to stop.", flush=True)
    try:
        while not stop.wait(0.5):
            pass
    finally:
        stack.stop()
        print("Stopped.", flush=True)
    return 0


def _names(stack: LocalStack) -> str:
    wanted = (
        "ClaimsTable", "IdempotencyTable", "ClaimsBucket", "UploadQueue", "UploadDLQ", "StaffUserPool",
        "StaffUserPoolClient",
    )
    return ", ".join(f"{k}={v.rsplit('/', 1)[-1]}" for k, v in stack.names.items() if k in wanted)


if __name__ == "__main__":
    sys.exit(main())
