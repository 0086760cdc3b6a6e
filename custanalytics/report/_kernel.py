"""The kernel that runs report notebooks: always the interpreter running custanalytics.

A kernel looked up by name (``python3``) can resolve to another environment's Python when
the user has kernelspecs installed elsewhere; the report must run with the same package
versions as the command that started it.
"""

from __future__ import annotations

import os
import sys

from jupyter_client import AsyncKernelManager
from jupyter_client.kernelspec import KernelSpec

__all__ = ["KERNEL_NAME", "SameInterpreterKernelManager"]

KERNEL_NAME = "custanalytics-python3"


class SameInterpreterKernelManager(AsyncKernelManager):
    """Kernel manager whose kernel is an IPython kernel on ``sys.executable``.

    On POSIX systems the kernel talks over local IPC sockets rather than TCP ports.
    """

    def __init__(self, **kwargs):
        if os.name == "posix":
            kwargs.setdefault("transport", "ipc")
        super().__init__(**kwargs)

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
