"""Writing what a build or an export produces without ever losing what was there before.

Owns: the guard that refuses a `build -o DIR` that holds anything but normgraph's own earlier
graph files (inputs, notes, other data); the lock that keeps two builds from writing the same
folder at once; the crash-safe swap of a freshly written folder into place (files fsync'ed,
then one atomic `renameat2(RENAME_EXCHANGE)` on Linux, or two renames whose half-way state is
repaired by the next build); and files and folders created with the modes the umask asks for
(`tempfile` would make them 0600/0700).
"""
from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path

from normgraph.errors import InputError
from normgraph.namespace import NG_IRI

GRAPH_SUFFIX = ".ttl"
_SIGNATURE = NG_IRI.encode("ascii")  # every graph file normgraph writes names its ontology near the top
_SIGNATURE_BYTES = 4096
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The mode a new file gets from open(): 0666 less the umask."""
    return 0o666 & ~_umask()


def dir_mode() -> int:
    """The mode a new folder gets from mkdir(): 0777 less the umask."""
    return 0o777 & ~_umask()


def _is_own_graph_file(path: Path) -> bool:
    if not path.is_file() or path.is_symlink() or path.suffix != GRAPH_SUFFIX:
        return False
    with path.open("rb") as handle:
        return _SIGNATURE in handle.read(_SIGNATURE_BYTES)


def check_output_dir(out_dir: Path, inputs: Iterable[Path] = ()) -> None:
    """Refuse an output folder that the build would have to destroy something of the user's to replace.

    The folder may be missing, empty, or hold normgraph's own graph files (`*.ttl` that name
    its ontology) and nothing else; it may be neither an input of the build nor a folder holding one.
    """
    out_dir = Path(out_dir)
    where = f"-o {out_dir}"
    if out_dir.exists() and not out_dir.is_dir():
        raise InputError(where, "is a file, not a folder; the graph is written as a folder of Turtle files")
    resolved = out_dir.resolve()
    for given in inputs:
        path = Path(given).resolve()
        if path == resolved or resolved in path.parents:
            raise InputError(where, f"holds the input {given}; write the graph to another folder")
    if not out_dir.is_dir():
        return
    foreign = sorted(p.name for p in out_dir.iterdir() if not _is_own_graph_file(p))
    if foreign:
        shown = ", ".join(foreign[:3]) + (f" and {len(foreign) - 3} more" if len(foreign) > 3 else "")
        raise InputError(where, f"holds files normgraph did not write ({shown}); "
                                "write the graph to a new or empty folder, or move them away")


def _names(out_dir: Path) -> tuple[Path, Path, Path]:
    parent = out_dir.parent
    return parent / f".{out_dir.name}.lock", parent / f".{out_dir.name}.old", parent / f".{out_dir.name}.new"


@contextlib.contextmanager
def build_lock(out_dir: Path) -> Iterator[None]:
    """Hold the lock of `out_dir` (a `.NAME.lock` file beside it) or say who holds it.

    Taken without waiting: a second build of the same folder stops with one line instead of
    silently overwriting the first one's graph. The lock goes with the process (and is not
    inherited by its worker processes), so a killed build never leaves a stale one.
    """
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    lock_path = _names(out_dir)[0]
    fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o666)
    try:
        try:  # a POSIX record lock: owned by this process alone, not by the workers it forks
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as error:
            if error.errno not in (errno.EACCES, errno.EAGAIN):
                raise
            holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "another process"
            raise InputError(str(out_dir), f"another normgraph build (pid {holder}) is writing this folder; "
                                           "run again when it has finished") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)
        recover(out_dir)
        yield
    finally:
        os.close(fd)


def recover(out_dir: Path) -> None:
    """Repair what a build killed half-way through a swap left: put the old folder back, drop the new one."""
    out_dir = Path(out_dir).absolute()
    _lock, old, new = _names(out_dir)
    if old.is_dir() and not out_dir.exists():
        os.replace(old, out_dir)
        _fsync_dir(out_dir.parent)
    for stale in (old, new):
        if stale.is_dir():
            shutil.rmtree(stale)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one atomic step (Linux renameat2); False where the platform cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def write_file_synced(path: Path, data: bytes) -> None:
    """Write `data` to `path` (a new file) and flush it to the disk."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        _write_all(fd, data)
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def replace_dir(files: dict[str, bytes], out_dir: Path) -> None:
    """Make `out_dir` hold exactly `files` (name -> bytes): all or nothing, whatever kills the process.

    The new folder is written beside the old one and fsync'ed; then the two are exchanged in one
    atomic rename (or, where the platform has no exchange, the old one is moved to `.NAME.old`
    first, which `recover` puts back if the process dies before the new one is in place).
    Call it under `build_lock`.
    """
    out_dir = Path(out_dir).absolute()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    _lock, old, new = _names(out_dir)
    recover(out_dir)
    new.mkdir(mode=0o777)  # mkdir's mode is masked by the umask, as the user expects
    try:
        for name, data in sorted(files.items()):
            write_file_synced(new / name, data)
        _fsync_dir(new)
        if not out_dir.exists():
            os.rename(new, out_dir)
        elif _exchange(new, out_dir):
            shutil.rmtree(new)  # `new` now holds the old graph
        else:
            os.rename(out_dir, old)
            os.rename(new, out_dir)
            shutil.rmtree(old)
        _fsync_dir(out_dir.parent)
    finally:
        if new.is_dir():
            shutil.rmtree(new, ignore_errors=True)


def replace_file(path: Path, data: bytes) -> None:
    """Write `path` atomically (a synced temporary file beside it, then one rename), honouring the umask."""
    path = Path(path)
    tmp = path.parent / f".{path.name}.{os.getpid()}.tmp"
    try:
        write_file_synced(tmp, data)
        os.replace(tmp, path)
    finally:
        if tmp.exists():
            tmp.unlink()
    _fsync_dir(path.parent.absolute())


__all__ = ["build_lock", "check_output_dir", "dir_mode", "file_mode", "recover", "replace_dir", "replace_file"]
