"""Japanese first: both catalogs are complete, and hold every string the code marks."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CATALOGS = [ROOT / "locale" / lang / "LC_MESSAGES" / "django.po" for lang in ("ja", "en")]


@pytest.mark.parametrize("catalog", CATALOGS, ids=["ja", "en"])
def test_every_message_is_translated(catalog: Path) -> None:
    result = subprocess.run(
        ["msgfmt", "--check", "--statistics", "-o", "/dev/null", str(catalog)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr, result.stderr


def test_the_catalogs_hold_every_string_the_code_marks(tmp_path: Path) -> None:
    """Extract afresh from a copy of the code; the committed catalog must already have it all."""
    for part in ("manage.py", "workshop", "sessions", "templates", "static"):
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy(source, tmp_path / part)
    (tmp_path / "locale").mkdir()
    subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "ja", "-v0"],
        cwd=tmp_path,
        check=True,
    )
    fresh = tmp_path / "locale" / "ja" / "LC_MESSAGES" / "django.po"
    for catalog in CATALOGS:
        check = subprocess.run(
            ["msgcmp", "--use-untranslated", str(catalog), str(fresh)],
            capture_output=True,
            text=True,
        )
        assert check.returncode == 0, f"{catalog.parent.parent.name} lacks:\n{check.stderr}"
