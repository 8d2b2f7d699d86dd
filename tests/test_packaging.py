"""The wheel carries the migrations and the sample: `ledger init` and `ledger demo` work installed."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import ROOT


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> str:
    """The project built as a wheel and unpacked on its own (dependencies from this environment)."""
    pytest.importorskip("hatchling", reason="building the wheel needs hatchling (the test extra)")
    build = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "-q",
            "--no-deps",
            "--no-build-isolation",
            str(ROOT),
            "-w",
            str(build),
        ],
        check=True,
    )
    (wheel,) = build.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ledger/_resources/migrations/env.py" in names
    assert "ledger/_resources/samples/rt-is-nusra-deal.yaml" in names
    assert "ledger/suggest/pronoun_weights.json" in names  # the suggester's learned weights
    target = tmp_path_factory.mktemp("site")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-deps",
            "--target",
            str(target),
            str(wheel),
        ],
        check=True,
    )
    return str(target)


def run_installed(site: str, *args: str, cwd) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": site}
    return subprocess.run(
        [sys.executable, "-m", "ledger", *args], capture_output=True, text=True, env=env, cwd=cwd
    )


def test_installed_wheel_initialises_and_runs_the_demo(installed, tmp_path):
    where = run_installed(installed, "--help", cwd=tmp_path)
    assert where.returncode == 0
    probe = subprocess.run(
        [sys.executable, "-c", "import ledger; print(ledger.__file__)"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": installed},
        cwd=tmp_path,
    )
    assert probe.stdout.startswith(installed)  # the installed copy, not the checkout
    init = run_installed(installed, "init", "--db", str(tmp_path / "l.db"), cwd=tmp_path)
    assert init.returncode == 0 and "created ledger" in init.stdout
    demo = run_installed(installed, "demo", "--db", str(tmp_path / "d.db"), cwd=tmp_path)
    assert demo.returncode == 0 and "Uncorroborated facts" in demo.stdout
