"""Confinement a freshly forked child applies to itself before it touches learner input.

Runs in the zygote's child, never in the web process. Order matters: namespaces and the
read-only remount need root, so they come before the switch to an unprivileged user,
and the rlimits come before it too so the hard values can no longer be raised.
"""

from __future__ import annotations

import ctypes
import os
import resource
import signal
from dataclasses import dataclass, field

NOBODY = 65534
RESULT_FD = 3

# <sys/mount.h>
_MS_RDONLY = 1
_MS_NOSUID = 2
_MS_NODEV = 4
_MS_NOEXEC = 8
_MS_REMOUNT = 32
_MS_NOATIME = 1024
_MS_NODIRATIME = 2048
_MS_BIND = 4096
_MS_REC = 16384
_MS_PRIVATE = 1 << 18
_MS_RELATIME = 1 << 21
_MS_STRICTATIME = 1 << 24
_MOUNT_FLAGS = {
    "nosuid": _MS_NOSUID,
    "nodev": _MS_NODEV,
    "noexec": _MS_NOEXEC,
    "noatime": _MS_NOATIME,
    "nodiratime": _MS_NODIRATIME,
    "relatime": _MS_RELATIME,
    "strictatime": _MS_STRICTATIME,
}
# <linux/prctl.h>
_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_NO_NEW_PRIVS = 38

# Loaded once in the zygote, so a child needs no file access to call into libc.
_LIBC = ctypes.CDLL(None, use_errno=True)
_LIBC.mount.argtypes = [ctypes.c_char_p, ctypes.c_char_p, ctypes.c_char_p, ctypes.c_ulong, ctypes.c_void_p]
_LIBC.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]


@dataclass(frozen=True)
class ChildLimits:
    cpu_s: int
    cpu_hard_s: int
    memory_bytes: int
    open_files: int


@dataclass
class Confinement:
    applied: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)


class ConfinementError(Exception):
    pass


def confine(limits: ChildLimits, workdir: str, result_fd: int) -> Confinement:
    """Confine the calling process; raise ConfinementError if a mandatory step fails.

    With namespaces, the process that returns is a grandchild of the caller, alone in its own PID namespace; the
    caller and the namespace's init wait for it and end as it ends.
    """
    done = Confinement()
    zygote_pid = os.getppid()
    os.setsid()
    _reset_signals()
    _keep_only_result_fd(result_fd)
    _isolate_namespaces(done)
    try:
        os.chdir(workdir)
        _enter_empty_root(workdir, done)
        _set_rlimits(limits)
        if os.getuid() == 0:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            done.applied.append("uid:nobody")
        _prctl(_PR_SET_NO_NEW_PRIVS, 1)
        _prctl(_PR_SET_DUMPABLE, 0)
        # Set after the uid change, which clears it: if the zygote (or a process waiting in between) dies, so
        # does the child. In its own PID namespace the child's parent is that namespace's init, pid 1.
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() not in (zygote_pid, 1):
            raise ConfinementError("the zygote exited before the child was confined")
        os.environ.clear()
    except OSError as exc:
        raise ConfinementError(f"{type(exc).__name__}: {exc}") from exc
    done.applied += ["rlimits", "environ:empty"]
    return done


def _reset_signals() -> None:
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    # A write over RLIMIT_FSIZE should fail with EFBIG, not kill the child with SIGXFSZ.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)


def _keep_only_result_fd(result_fd: int) -> None:
    devnull = os.open(os.devnull, os.O_RDWR)
    for std in (0, 1, 2):
        os.dup2(devnull, std)
    if result_fd != RESULT_FD:
        os.dup2(result_fd, RESULT_FD, inheritable=False)
    hard = resource.getrlimit(resource.RLIMIT_NOFILE)[1]
    highest = 2**20 if hard == resource.RLIM_INFINITY else max(hard, 2**20)
    os.closerange(RESULT_FD + 1, highest)


def _isolate_namespaces(done: Confinement) -> None:
    # A PID namespace of its own: siblings (other learners' checks), the zygote, the web process and every other
    # process are out of sight, so kill() of any of their pids finds nothing (see _enter_own_pid_namespace).
    flags = os.CLONE_NEWNET | os.CLONE_NEWNS | os.CLONE_NEWPID
    if os.getuid() != 0:
        # Unprivileged: a user namespace grants the right to create the others, where allowed.
        flags |= os.CLONE_NEWUSER
    try:
        os.unshare(flags)
    except OSError as exc:
        try:  # some container runtimes refuse a PID namespace alone: keep the others
            os.unshare(flags & ~os.CLONE_NEWPID)
        except OSError:
            done.skipped["namespaces"] = f"unshare refused: {exc.strerror}"
            return
        # Siblings stay visible: the signal_others canary fails, so the runner refuses to serve outside DEBUG.
        done.skipped["pidns"] = f"unshare refused: {exc.strerror}"
        done.applied.append("netns")
    else:
        _enter_own_pid_namespace()
        done.applied += ["netns", "pidns"]
    try:
        _remount_everything_read_only()
    except OSError as exc:
        done.skipped["readonly-fs"] = str(exc)
    else:
        done.applied.append("readonly-fs")


def _enter_own_pid_namespace() -> None:
    """Return in a process that is alone in a new PID namespace; the processes above it only wait.

    After unshare(CLONE_NEWPID) the caller stays where it was and its next child is pid 1 of the new namespace.
    That pid 1 forks once more and the job runs as pid 2: the kernel ignores signals a namespace's init has no
    handler for, including RLIMIT_CPU's SIGXCPU, so the job must not be pid 1. Each waiting process ends exactly
    as the one below it ended (exit code or signal), so the zygote's wait status and CPU time (which include the
    reaped descendants') map to the same outcomes as before.
    """
    outside = os.fork()
    if outside:
        _wait_and_end_alike(outside, inside_namespace=False)
    init = os.fork()
    if init:
        _wait_and_end_alike(init, inside_namespace=True)
    _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)  # until the uid change, which clears it (set again there)


# The namespace's init cannot kill itself with a signal (it would be ignored): it exits with this plus the number.
_SIGNALLED = 128


def _wait_and_end_alike(pid: int, *, inside_namespace: bool) -> None:
    code = 1
    try:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        os.close(RESULT_FD)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        _, status = os.waitpid(pid, 0)
        sig = os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0
        code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 1
        if inside_namespace:
            code = _SIGNALLED + sig if sig else code
        else:
            if not sig and code > _SIGNALLED:
                sig = code - _SIGNALLED
            if sig:
                signal.signal(sig, signal.SIG_DFL)
                os.kill(os.getpid(), sig)
    except BaseException:  # noqa: BLE001, S110 - this process must never run anything else
        pass
    os._exit(code)


def _remount_everything_read_only() -> None:
    def mount(target: bytes, flags: int) -> None:
        if _LIBC.mount(None, target, None, flags, None) != 0:
            err = ctypes.get_errno()
            raise OSError(err, f"mount {target.decode(errors='replace')}: {os.strerror(err)}")

    mount(b"/", _MS_REC | _MS_PRIVATE)
    with open("/proc/self/mounts", "rb") as mounts:
        entries = [line.split() for line in mounts]
    failures = []
    for entry in entries:
        target = entry[1].replace(b"\\040", b" ")
        options = entry[3].decode(errors="replace").split(",")
        kept = sum(_MOUNT_FLAGS.get(opt, 0) for opt in options)
        try:
            mount(target, _MS_REMOUNT | _MS_BIND | _MS_RDONLY | kept)
        except OSError as exc:
            failures.append(str(exc))
    if failures:
        raise OSError("; ".join(failures[:3]))


def _enter_empty_root(workdir: str, done: Confinement) -> None:
    # Everything the job needs was imported by the zygote, so the child needs no file at
    # all: the empty working directory becomes its whole filesystem (the database, the
    # code and /proc included are out of sight). Without CAP_SYS_CHROOT (root or a user
    # namespace) this is skipped and the rest still holds.
    try:
        os.chroot(workdir)
    except OSError as exc:
        done.skipped["empty-root"] = f"chroot refused: {exc.strerror}"
        return
    os.chdir("/")
    done.applied.append("empty-root")


def _set_rlimits(limits: ChildLimits) -> None:
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_CPU, (limits.cpu_s, limits.cpu_hard_s))
    resource.setrlimit(resource.RLIMIT_AS, (limits.memory_bytes, limits.memory_bytes))
    resource.setrlimit(resource.RLIMIT_FSIZE, (0, 0))
    resource.setrlimit(resource.RLIMIT_NOFILE, (limits.open_files, limits.open_files))
    # Counted per user: effective because the child is (or becomes) an unprivileged user.
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    resource.setrlimit(resource.RLIMIT_MEMLOCK, (0, 0))


def become_subreaper() -> None:
    _prctl(_PR_SET_CHILD_SUBREAPER, 1)


def _prctl(option: int, value: int) -> None:
    if _LIBC.prctl(option, value, 0, 0, 0) != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"prctl({option}): {os.strerror(err)}")
