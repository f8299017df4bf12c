"""Run the web server, a Celery worker and beat together; Ctrl-C stops all.

Used by `make run`. Each child runs in a process group of its own, so the
terminal's Ctrl-C reaches only this script, which then stops the children in
order: SIGTERM (Celery's warm shutdown), then SIGKILL for the whole group of
any child still running after a grace period. No process outlives the command.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

GRACE_SECONDS = 15
VENV_BIN = Path(sys.executable).parent
CELERY = str(VENV_BIN / "celery")

# name -> (command, whether SIGTERM goes to the whole process group). The
# runserver autoreloader's child must get it too; a Celery worker stops its
# own pool processes and must get it alone.
COMMANDS = {
    "web": ([sys.executable, "manage.py", "runserver", "127.0.0.1:8000"], True),
    "worker": ([CELERY, "-A", "config", "worker", "--loglevel=INFO", "--concurrency=2"], False),
    "beat": ([CELERY, "-A", "config", "beat", "--loglevel=INFO", "--schedule=var/celerybeat-schedule"], False),
}


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def _signal_group(pid: int, signum: int) -> None:
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


def stop(children: dict[str, subprocess.Popen[bytes]]) -> None:
    for name, child in children.items():
        if child.poll() is None:
            if COMMANDS[name][1]:
                _signal_group(child.pid, signal.SIGTERM)
            else:
                child.terminate()
    deadline = time.monotonic() + GRACE_SECONDS
    for name, child in children.items():
        try:
            child.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            print(f"{name} did not stop in {GRACE_SECONDS} s: killing it", file=sys.stderr)
        # Whatever the child left behind in its group (pool processes, the
        # autoreloader's server) goes with it.
        _signal_group(child.pid, signal.SIGKILL)
        child.wait()


def main() -> int:
    # Installed explicitly: a shell may start us with SIGINT ignored.
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    children = {name: subprocess.Popen(command, start_new_session=True) for name, (command, _) in COMMANDS.items()}
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
