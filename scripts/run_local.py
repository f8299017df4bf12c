"""Run the web server, a Celery worker and beat together; Ctrl-C stops all.

Used by `make run`. Each child gets SIGTERM when any of them stops or when
we are interrupted, and SIGKILL if it has not finished shutting down after a
grace period, so no process outlives the command.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE_SECONDS = 15
VENV_BIN = Path(sys.executable).parent

COMMANDS = {
    "web": [sys.executable, "manage.py", "runserver", "127.0.0.1:8000"],
    "worker": [str(VENV_BIN / "celery"), "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2"],
    "beat": [str(VENV_BIN / "celery"), "-A", "config", "beat", "--loglevel=INFO", "--schedule=var/celerybeat-schedule"],
}


def stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for child in children.values():
        if child.poll() is None:
            child.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in {GRACE_SECONDS} s: killing it", file=sys.stderr)
            child.kill()
            child.wait()


def main() -> int:
    # The children ignore the terminal's Ctrl-C (their own process group);
    # we stop them in order instead of racing their handlers.
    children = {name: subprocess.Popen(command, start_new_session=True) for name, command in COMMANDS.items()}
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
    try:
        while all(child.poll() is None for child in children.values()):
            time.sleep(0.5)
        ended = [name for name, child in children.items() if child.poll() is not None]
        print(f"{', '.join(ended)} stopped; stopping the others.", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("\nStopping web, worker and beat...", file=sys.stderr)
        return 0
    finally:
        stop(children)


if __name__ == "__main__":
    sys.exit(main())
