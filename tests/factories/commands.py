"""The command line as a test runs it: ``digiystava ARGS`` in a process of its own.

Starting Python and importing the project costs each command about 0.4 s of CPU, more
than most commands' own work, and the suite runs over a hundred of them, besides the
browser walks' servers and seed scripts. So each test worker keeps one helper process
that has imported what the commands import (read from ``digiystava/cli.py``, the
server's included), and each command runs in a fresh fork of it: a process of its own,
with the test's environment, working directory and standard streams, through the same
``main`` as ``python -m digiystava``, its exit code the process's exit status. The
helper imports only: no settings are read and no database is opened before a fork.

Tests of the entry point itself (where the default database lives, a command without a
terminal) and of served workers' processes still start Python anew with ``subprocess``.
"""

from __future__ import annotations

import ast
import atexit
import json
import os
import select
import signal
import subprocess
import sys
import tempfile
import threading
from pathlib import Path
from typing import NoReturn

ROOT = Path(__file__).resolve().parents[2]
_helper: subprocess.Popen | None = None
_one_at_a_time = threading.Lock()


def digiystava(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run ``digiystava ARGS`` as ``subprocess.run(..., capture_output=True, text=True)`` would."""
    return _run(["-m", "digiystava", *args], env, stdin, timeout)


def on_database(
    url: str, *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """``digiystava ARGS`` on the database at ``url`` (in ``env``, by default this process's environment)."""
    return digiystava(*args, env={**(os.environ if env is None else env), "DIGIYSTAVA_DATABASE_URL": url}, stdin=stdin)


def output_of(url: str, *args: str, env: dict[str, str] | None = None) -> str:
    """What ``digiystava ARGS`` on ``url`` prints, for a step that must work (set-up, a token)."""
    result = on_database(url, *args, env=env)
    if result.returncode != 0:
        raise RuntimeError(f"digiystava {' '.join(args)} failed on {url}: {result.stderr}{result.stdout}")
    return result.stdout


def python_code(code: str, env: dict[str, str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    """Run ``python -c CODE`` (a seed script) as ``subprocess.run`` would, output captured."""
    return _run(["-c", code], env, None, timeout)


class Served:
    """``digiystava serve ...`` started in the background, its output discarded: ``stop()`` ends it."""

    def __init__(self, *args: str, env: dict[str, str]) -> None:
        request = _request(["-m", "digiystava", "serve", *args], env, os.devnull, os.devnull, os.devnull)
        with _one_at_a_time:
            self.pid = _ask({**request, "background": True}, 30)

    def stop(self, timeout: float = 10) -> int:
        """SIGTERM, as ``Popen.terminate`` sends, and its exit status once it has ended."""
        os.kill(self.pid, signal.SIGTERM)
        with _one_at_a_time:
            return _ask({"reap": self.pid}, timeout)


def _run(
    python: list[str], env: dict[str, str] | None, stdin: str | None, timeout: float
) -> subprocess.CompletedProcess:
    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="digiystava-command-") as folder:
        stdin_path, stdout_path, stderr_path = (Path(folder, name) for name in ("stdin", "stdout", "stderr"))
        stdin_path.write_text(stdin or "", encoding="utf-8")
        returncode = _ask(_request(python, env, stdin_path, stdout_path, stderr_path), timeout)
        return subprocess.CompletedProcess(
            [sys.executable, *python],
            returncode,
            stdout_path.read_text(encoding="utf-8"),
            stderr_path.read_text(encoding="utf-8"),
        )


def _request(python: list[str], env: dict[str, str] | None, *streams: object) -> dict:
    stdin, stdout, stderr = map(str, streams)
    environment = dict(os.environ if env is None else env)
    return {"python": python, "env": environment, "cwd": str(ROOT), "stdin": stdin, "stdout": stdout, "stderr": stderr}


def _ask(request: dict, timeout: float) -> int:
    """One request to the helper; its answer (an exit status, or a started server's pid)."""
    global _helper
    if _helper is None or _helper.poll() is not None:
        _helper = subprocess.Popen(
            [sys.executable, "-m", "tests.factories.commands"],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            start_new_session=True,  # a command that hangs is stopped with its helper
        )
        atexit.register(_helper.kill)
    assert _helper.stdin is not None and _helper.stdout is not None
    _helper.stdin.write(json.dumps(request).encode() + b"\n")
    _helper.stdin.flush()
    ready, _, _ = select.select([_helper.stdout], [], [], timeout)
    answer = _helper.stdout.readline() if ready else b""
    if not answer:
        os.killpg(_helper.pid, 9)
        _helper.wait()
        raise subprocess.TimeoutExpired(request.get("python", ["reap"]), timeout)
    return int(json.loads(answer)["answer"])


# --- The helper process -----------------------------------------------------------------


def command_imports() -> list[tuple[str, tuple[str, ...]]]:
    """``from MODULE import NAMES`` and ``import MODULE`` of each command as it runs."""
    tree = ast.parse((ROOT / "digiystava" / "cli.py").read_text(encoding="utf-8"))
    functions = [f for f in tree.body if isinstance(f, ast.FunctionDef) and f.name.startswith("cmd_")]
    imports = {
        (node.module, tuple(alias.name for alias in node.names))
        for function in functions
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    } | {
        (alias.name, ())
        for function in functions
        for node in ast.walk(function)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    return sorted(imports)


def _serve() -> None:
    for module, names in command_imports():
        __import__(module, fromlist=names)  # as the command's own ``from module import names``
    __import__("digiystava.app")  # what a served app loads (``digiystava.asgi`` builds it, after the fork)
    # The settings come from each command's own environment, after the fork.
    from digiystava.settings import get_settings

    assert get_settings.cache_info().currsize == 0, "the command helper read the settings before a fork"
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    for line in requests:
        request = json.loads(line)
        if "reap" in request:
            answer = os.waitstatus_to_exitcode(os.waitpid(request["reap"], 0)[1])
        else:
            # A fork copies only the thread that forks: the helper must have no other.
            assert threading.active_count() == 1, "the command helper started a thread"
            pid = os.fork()
            if pid == 0:
                _run_command(request)
            answer = pid if request.get("background") else os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1])
        answers.write(json.dumps({"answer": answer}).encode() + b"\n")
        answers.flush()


def _run_command(request: dict) -> NoReturn:
    """In the forked process: the test's environment and streams, then ``python -m digiystava ARGS``
    or ``python -c CODE``. The process ends as Python ends a program: by ``SystemExit`` or an
    uncaught error (shown with its trace), which leave through the helper's frames untouched,
    so exit handlers run (logging's flush among them) and threads are joined."""
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    written = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    for fd, (name, flags) in enumerate((("stdin", os.O_RDONLY), ("stdout", written), ("stderr", written))):
        opened = os.open(request[name], flags, 0o600)
        os.dup2(opened, fd)
        os.close(opened)
    sys.stdin = open(0, encoding="utf-8", closefd=False)  # noqa: SIM115 - the process's own streams
    sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
    sys.stderr = open(2, "w", encoding="utf-8", errors="backslashreplace", closefd=False)  # noqa: SIM115
    python = request["python"]
    if python[0] == "-c":
        sys.argv = ["-c"]
        exec(compile(python[1], "<string>", "exec"), {"__name__": "__main__"})  # noqa: S102 - as python -c
        raise SystemExit(0)
    args = python[2:]  # -m digiystava ARGS, as digiystava/__main__.py runs them
    sys.argv = ["digiystava", *args]
    from digiystava.cli import main

    raise SystemExit(main(args))


if __name__ == "__main__":
    _serve()
