"""The tests' command runner answers as ``python -m digiystava`` does: same output, same exit code."""

import os
import subprocess
import sys

import pytest

from tests.factories.commands import ROOT, digiystava, python_code


@pytest.mark.parametrize(
    ("args", "env"),
    [
        (["--help"], {}),
        (["no-such-command"], {}),
        (["migrate"], {"DIGIYSTAVA_DATABASE_URL": "mysql://nope"}),
        (["user", "create", "anna", "--role", "trainer", "--password-stdin"], {"DIGIYSTAVA_DATABASE_URL": "x://"}),
    ],
)
def test_a_command_answers_as_a_new_python_does(args, env):
    env = {**os.environ, **env}
    expected = subprocess.run(
        [sys.executable, "-m", "digiystava", *args],
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
    )
    got = digiystava(*args, env=env)
    assert (got.returncode, got.stdout, got.stderr) == (expected.returncode, expected.stdout, expected.stderr)


def test_each_command_reads_its_own_environment_and_input(tmp_path):
    here = {**os.environ, "DIGIYSTAVA_DATABASE_URL": f"sqlite:///{tmp_path}/here.sqlite"}
    there = {**os.environ, "DIGIYSTAVA_DATABASE_URL": f"sqlite:///{tmp_path}/there.sqlite"}
    assert digiystava("migrate", env=here).returncode == 0
    password = "oikea-hevonen-akku-paristo\n"
    made = digiystava("user", "create", "anna", "--role", "trainer", "--password-stdin", env=here, stdin=password)
    assert made.returncode == 0, made.stderr
    assert digiystava("user", "token", "anna", env=here).stdout.startswith("dy_")
    unmigrated = digiystava("user", "token", "anna", env=there)
    assert unmigrated.returncode == 1 and len(unmigrated.stderr.splitlines()) == 1, unmigrated.stderr


def test_a_script_ends_as_python_ends_it():
    """Exit handlers run and an uncaught error is shown with its trace, as in a new Python."""

    said = python_code("import atexit\natexit.register(print, 'bye')\nprint('hello')")
    assert (said.returncode, said.stdout) == (0, "hello\nbye\n")
    failed = python_code("raise ValueError('no')")
    assert failed.returncode == 1 and "Traceback" in failed.stderr and "ValueError: no" in failed.stderr
    assert python_code("import sys\nsys.exit('a message')").returncode == 1
