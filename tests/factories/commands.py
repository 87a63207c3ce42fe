"""The command line as a test runs it: ``digiystava ARGS`` in a process of its own.

Starting Python and importing the project costs each command about 0.4 s of CPU, more
than most commands' own work, and the suite runs over a hundred of them. So each test
worker keeps one helper process that has imported what the commands import (read from
``digiystava/cli.py``), and each command runs in a fresh fork of it: a process of its
own, with the test's environment, working directory and standard streams, through the
same ``main`` as ``python -m digiystava``, its exit code the process's exit status.
The helper imports only: no settings are read and no database is opened before a fork.

Tests of the entry point itself (where the default database lives, a command without a
terminal) still start Python anew with ``subprocess``.
"""

from __future__ import annotations

import ast
import atexit
import json
import os
import select
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_helper: subprocess.Popen | None = None
_one_at_a_time = threading.Lock()


def digiystava(
    *args: str, env: dict[str, str] | None = None, stdin: str | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    """Run ``digiystava ARGS`` as ``subprocess.run(..., capture_output=True, text=True)`` would."""
    with _one_at_a_time, tempfile.TemporaryDirectory(prefix="digiystava-command-") as folder:
        streams = {name: str(Path(folder, name)) for name in ("stdin", "stdout", "stderr")}
        Path(streams["stdin"]).write_text(stdin or "", encoding="utf-8")
        request = {"argv": list(args), "env": dict(os.environ if env is None else env), "cwd": str(ROOT), **streams}
        returncode = _ask(request, timeout)
        return subprocess.CompletedProcess(
            [sys.executable, "-m", "digiystava", *args],
            returncode,
            Path(streams["stdout"]).read_text(encoding="utf-8"),
            Path(streams["stderr"]).read_text(encoding="utf-8"),
        )


def _ask(request: dict, timeout: float) -> int:
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
        raise subprocess.TimeoutExpired(["digiystava", *request["argv"]], timeout)
    return int(json.loads(answer)["returncode"])


# --- The helper process -----------------------------------------------------------------


def command_imports() -> list[tuple[str, tuple[str, ...]]]:
    """``from MODULE import NAMES`` of each command as it runs (the server's excepted)."""
    tree = ast.parse((ROOT / "digiystava" / "cli.py").read_text(encoding="utf-8"))
    imports = {
        (node.module, tuple(alias.name for alias in node.names))
        for function in tree.body
        if isinstance(function, ast.FunctionDef) and function.name.startswith("cmd_") and function.name != "cmd_serve"
        for node in ast.walk(function)
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0
    }
    return sorted(imports)


def _serve() -> None:
    for module, names in command_imports():
        __import__(module, fromlist=names)  # as the command's own ``from module import names``
    requests, answers = sys.stdin.buffer, sys.stdout.buffer
    for line in requests:
        request = json.loads(line)
        # A fork copies only the thread that forks: the helper must have no other.
        assert threading.active_count() == 1, "the command helper started a thread"
        pid = os.fork()
        if pid == 0:
            _run_command(request)
        _, status = os.waitpid(pid, 0)
        answers.write(json.dumps({"returncode": os.waitstatus_to_exitcode(status)}).encode() + b"\n")
        answers.flush()


def _run_command(request: dict) -> None:
    """In the forked process: the test's environment and streams, then ``python -m digiystava``."""
    code: object = 1
    try:
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
        sys.argv = ["digiystava", *request["argv"]]
        from digiystava.cli import main

        code = main(request["argv"])
    except SystemExit as exit:
        code = exit.code
    except BaseException:  # noqa: BLE001 - shown as Python would show it, then exit 1
        import traceback

        traceback.print_exc()
        code = 1
    finally:
        if isinstance(code, str):
            print(code, file=sys.stderr)
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code if isinstance(code, int) else 0 if code is None else 1)


if __name__ == "__main__":
    _serve()
