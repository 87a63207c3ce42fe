"""Start-up stays quick: the app is built without loading the heavy libraries, which load on first use."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("matplotlib", "reportlab", "scipy", "numpy", "qrcode", "pypdf", "PIL")
SCRIPT = f"""
import sys
from digiystava.app import create_app
create_app()
print(",".join(m for m in {HEAVY!r} if m in sys.modules))
"""


def test_create_app_loads_no_heavy_library(tmp_path):
    env = {
        **os.environ,
        "DIGIYSTAVA_DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite",
        "DIGIYSTAVA_SECRET_KEY": "k" * 40,
        "PICCOLO_CONF": "piccolo_conf",
    }
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"loaded at start-up: {result.stdout.strip()}"
