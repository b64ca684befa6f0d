"""Find, measure and stop the processes a check started.

On Linux the process tree is read from /proc, a process can be made a "subreaper" (orphans
further down reattach to it instead of to init, so a detached process cannot slip away) and a
child can ask to be killed when its parent dies. Elsewhere (macOS) only process groups are
available: what the workbook detaches into a new session may survive there. Stdlib only, since
checker.pyz runs with nothing installed but torch.
"""

import ctypes
import os
import signal
import sys
import time
from contextlib import contextmanager

LINUX = sys.platform.startswith("linux") and os.path.isdir("/proc/self")
PR_SET_PDEATHSIG, PR_SET_CHILD_SUBREAPER = 1, 36
OWN_MEMORY = (b"Private_Clean:", b"Private_Dirty:", b"Pss_Shmem:")  # smaps_rollup fields
PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def _prctl(option: int, value: int) -> bool:
    if not LINUX:
        return False
    try:
        return ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def become_subreaper() -> bool:
    """Orphaned descendants of this process reattach to it (Linux), so they can be found."""
    return _prctl(PR_SET_CHILD_SUBREAPER, 1)


def die_with_parent(sig: int = signal.SIGKILL, parent: int | None = None) -> None:
    """Have the kernel send sig to this process when its parent exits (Linux)."""
    _prctl(PR_SET_PDEATHSIG, sig)
    if parent is not None and os.getppid() != parent:  # the parent died before the prctl
        os._exit(1)


def _table() -> dict[int, tuple[int, bytes]]:
    """pid -> (parent pid, state letter) of every process visible in /proc."""
    table = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as stat:
                data = stat.read()
        except OSError:
            continue
        fields = data[data.rfind(b")") + 2 :].split()  # the name in (...) may hold spaces
        table[int(name)] = (int(fields[1]), fields[0])
    return table


def descendants(roots, table=None) -> list[int]:
    """Every living (not zombie) process below the given pids, on Linux; [] elsewhere."""
    if not LINUX:
        return []
    table = _table() if table is None else table
    children: dict[int, list[int]] = {}
    for pid, (parent, _) in table.items():
        children.setdefault(parent, []).append(pid)
    found, stack = [], list(roots)
    while stack:
        for child in children.get(stack.pop(), []):
            stack.append(child)
            if table[child][1] != b"Z":
                found.append(child)
    return found


def children_of(pid: int, table=None) -> list[int]:
    table = _table() if table is None else table
    return [p for p, (parent, state) in table.items() if parent == pid and state != b"Z"]


def _signal(pid: int, sig: int) -> None:
    try:
        os.kill(pid, sig)
    except (ProcessLookupError, PermissionError):
        pass


def reap_zombies(skip=()) -> None:
    """Collect the exit status of this process's dead children (orphans reattached to it)."""
    if not LINUX:
        return
    for pid, (parent, state) in _table().items():
        if parent == os.getpid() and state == b"Z" and pid not in skip:
            try:
                os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                pass


def kill_all(find, skip=(), rounds: int = 100) -> bool:
    """SIGKILL whatever find() returns until it returns nothing; True when none is left.

    Repeated because a process may fork between the listing and the kill.
    """
    for _ in range(rounds):
        pids = [p for p in find() if p not in skip]
        if not pids:
            return True
        for pid in pids:
            _signal(pid, signal.SIGKILL)
        reap_zombies(skip)
        time.sleep(0.005)
    return False


def kill_group(pgid: int) -> None:
    """Where /proc is missing: the process group is the best handle there is."""
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, OSError):
        pass


def resident_bytes(pids) -> int:
    """Sum of resident memory (RSS, an upper bound of PSS): cheap, from /proc/<pid>/statm."""
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/statm", "rb") as statm:
                total += int(statm.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            pass
    return total


def private_bytes(pids) -> int:
    """Memory the processes hold for themselves: private pages plus their share of shared memory.

    Pages still shared with the process they were forked from (torch, the loaded workbook) do
    not count, so a forked task starts near zero. Falls back to RSS without smaps_rollup.
    """
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as rollup:
                fields = dict(line.split()[:2] for line in rollup if line.endswith(b"kB\n"))
            total += 1024 * sum(int(fields.get(key, 0)) for key in OWN_MEMORY)
        except (OSError, ValueError):
            total += resident_bytes([pid])
    return total


STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)}


@contextmanager
def signals_held(held=frozenset(STOP_SIGNALS)):
    """Delay Ctrl-C and friends until the block is done, so a clean-up is never cut short."""
    if not hasattr(signal, "pthread_sigmask"):
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)
