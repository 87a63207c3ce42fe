"""Files that hold personal data (backups, a senior's export) are readable by their owner only."""

from __future__ import annotations

import os
from pathlib import Path
from typing import BinaryIO


def open_private(path: Path | str) -> BinaryIO:
    """Open ``path`` for writing with mode 0600, truncating it; an existing file is made 0600 too."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        # NOTE: os.open's mode applies only to a new file; an old one keeps its mode without this.
        os.fchmod(descriptor, 0o600)
    except OSError:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "wb")
