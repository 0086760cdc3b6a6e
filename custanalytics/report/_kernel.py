"""The kernel that runs report notebooks: always the interpreter running custanalytics.

A kernel looked up by name (``python3``) can resolve to another environment's Python when
the user has kernelspecs installed elsewhere; the report must run with the same package
versions as the command that started it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec

__all__ = ["KERNEL_NAME", "SameInterpreterKernelManager", "kernel_manager_for"]

KERNEL_NAME = "custanalytics-python3"


class SameInterpreterKernelManager(AsyncKernelManager):
    """Kernel manager whose kernel is an IPython kernel on ``sys.executable``.

    With ``socket_dir`` set (POSIX only) the kernel talks over Unix sockets in that folder
    instead of TCP ports: no unencrypted-TCP warning, and no clash between runs.
    """

    socket_dir: str | None = None
    #: Managers made from this class (one per run, see :func:`kernel_manager_for`).
    instances: list[SameInterpreterKernelManager] = []

    def __init__(self, **kwargs):
        if os.name == "posix" and self.socket_dir:
            kwargs.setdefault("transport", "ipc")
            kwargs.setdefault("ip", os.path.join(self.socket_dir, "kernel"))
        super().__init__(**kwargs)
        type(self).instances.append(self)

    def kill_now(self) -> None:
        """Kill the kernel process at once (after an interrupt, when no event loop runs)."""
        process = getattr(self.provisioner, "process", None)
        if process is not None and process.poll() is None:
            process.kill()
            process.wait(timeout=10)

    @property
    def kernel_spec(self) -> KernelSpec:
        """Kernel spec launching ``sys.executable -m ipykernel_launcher``."""
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name=f"Python {sys.version_info.major}.{sys.version_info.minor} "
            "(custanalytics)",
            language="python",
            metadata={"debugger": False},
        )


def kernel_manager_for(socket_dir: str | os.PathLike) -> type[SameInterpreterKernelManager]:
    """Return a kernel manager class whose kernels put their sockets in ``socket_dir``.

    Parameters
    ----------
    socket_dir : path-like
        A short, private folder (Unix socket paths are limited to about 100 characters);
        one per run, so that concurrent runs never share sockets.

    Returns
    -------
    type
        A subclass of :class:`SameInterpreterKernelManager`.
    """
    return type(
        "RunKernelManager",
        (SameInterpreterKernelManager,),
        {"socket_dir": str(Path(socket_dir)), "instances": []},
    )
