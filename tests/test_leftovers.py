"""A grader killed with SIGKILL leaves its temporary folders behind; the next
grader removes those whose maker is gone, and never another grader's."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import time

import pytest

from grader import leftovers
from grader.confine import bounded_folder


@pytest.fixture
def temp(tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    monkeypatch.setattr("tempfile.tempdir", None)
    monkeypatch.setattr(leftovers, "_swept", False)
    return tmp_path


def a_dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    return int(done.stdout)


def test_a_dead_graders_folders_go_and_a_live_ones_stay(temp):
    dead = a_dead_pid()
    gone = [temp / f"grader-{kind}-{dead}-abc" for kind in ("child", "staged", "redis")]
    for folder in gone:
        (folder / "app").mkdir(parents=True)
        (folder / "app" / "x.py").write_text("x = 1\n")
    ours = leftovers.make_folder("child")
    unrelated = temp / "grader-notes"
    unrelated.mkdir()
    leftovers.sweep_once()
    assert sorted(p.name for p in temp.iterdir()) == sorted([os.path.basename(ours),
                                                             "grader-notes"])


@pytest.mark.skipif(shutil.which("redis-server") is None or not os.path.isdir("/proc"),
                    reason="needs redis-server, and /proc to tell whose a pid is")
def test_a_dead_graders_redis_server_is_stopped(temp):
    # the grader starts a private redis-server for an app whose sessions are in
    # Redis; killed with SIGKILL, it left the server running for good
    grader = subprocess.Popen(
        [sys.executable, "-c", "import sys, time; from grader.stores import Stores; "
         "Stores()._redis_for('submission', sys.argv[1]); print('up', flush=True); "
         "time.sleep(60)", str(temp)],
        stdout=subprocess.PIPE, text=True)
    assert grader.stdout.readline() == "up\n"
    folder, = temp.glob(f"grader-redis-{grader.pid}-*")
    server = int((folder / leftovers.SERVER_PID).read_text())
    grader.kill()
    grader.wait()
    grader.stdout.close()
    assert _running(server)
    leftovers.sweep_once()
    assert not folder.exists()
    for _ in range(100):
        if not _running(server):
            break
        time.sleep(0.05)
    assert not _running(server)


def test_a_link_named_like_a_dead_graders_folder_is_left_alone(temp):
    # anyone may make /tmp/grader-redis-<a dead pid>-x; a root sweep followed
    # it: it chmod'ed what it led to, and stopped a process running there
    target = temp / "someone-elses"
    target.mkdir()
    (target / "file").write_text("theirs")
    target.chmod(0o755)
    bystander = subprocess.Popen(["sleep", "60"], cwd=target)
    try:
        (target / leftovers.SERVER_PID).write_text(str(bystander.pid))
        dead = a_dead_pid()
        for kind in ("redis", "staged", "child"):
            (temp / f"grader-{kind}-{dead}-link").symlink_to(target)
        leftovers.sweep_once()
        assert _running(bystander.pid)
        assert stat.S_IMODE(target.stat().st_mode) == 0o755
        assert (target / "file").read_text() == "theirs"
    finally:
        bystander.kill()
        bystander.wait()


def _running(pid: int) -> bool:
    try:  # a zombie is not running: its parent, the killed grader's, is gone too
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(os.geteuid() != 0 or not sys.platform.startswith("linux"),
                    reason="a working folder is size-limited only as root on Linux")
def test_a_size_limit_still_mounted_on_a_dead_graders_folder_is_unmounted(temp):
    folder = temp / f"grader-child-{a_dead_pid()}-abc"
    folder.mkdir()
    assert bounded_folder(str(folder))
    (folder / "child.log").write_text("left behind")
    leftovers.sweep_once()
    assert not folder.exists()
    assert not os.path.ismount(folder)


def _memory_groups() -> set[str]:
    from grader.memgroups import _own_memory_cgroup

    found = _own_memory_cgroup()
    if found is None:
        pytest.skip("no memory cgroup this user may write (root and a writable cgroup)")
    return {name for name in os.listdir(found[0]) if name.startswith("grader-")}


def test_a_graders_memory_groups_go_with_it_and_a_killed_ones_with_the_next():
    from conftest import ROOT

    before = _memory_groups()
    submission = str(ROOT / "reference" / "int-converter")
    done = subprocess.run([sys.executable, "-m", "grader", "int-converter", "-s", submission],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    # its zygote removed its own on the way out (another grader's, running now, may stay)
    left = {name for name in _memory_groups() - before
            if not os.path.exists(f"/proc/{name.removeprefix('grader-')}")}
    assert not left
    # a zygote killed with SIGKILL cannot: the next one sweeps what it left
    from grader.memgroups import _own_memory_cgroup

    dead = os.path.join(_own_memory_cgroup()[0], f"grader-{a_dead_pid()}")
    os.mkdir(dead)
    os.mkdir(os.path.join(dead, "1"))
    done = subprocess.run([sys.executable, "-m", "grader", "int-converter", "-s", submission],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert not os.path.exists(dead)
