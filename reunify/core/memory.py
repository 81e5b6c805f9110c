"""Memory a process frees kept for its next allocation, while it renders.

Rendering allocates and frees large blocks over and over: a genogram's canvas (drawn at
twice its size, some 37 MB), the pictures made from it, each document's package. By
default glibc gives a block that large back to the system when it is freed, and takes
the next one from it again a page at a time, each page faulted in and cleared by the
kernel. That costs about a tenth of a batch's CPU time, more than painting the canvas.
With higher thresholds (`mallopt`) the freed memory stays in the process, to be used
again: a worker's size is then what its largest case needed, as it is while that case
renders anyway.

Asked for by the commands that render (`render`, `site --documents`), which end when
they are done, and by the worker processes `documents.batch.render_many` starts; a program
that renders through the library keeps its own process's allocator as it is. Only glibc
has `mallopt` (Linux; musl has a stub that does nothing): elsewhere nothing changes.
"""

from __future__ import annotations

import sys

_M_TRIM_THRESHOLD = -1  # glibc's <malloc.h>: free memory at the top of the heap kept up to this
_M_MMAP_THRESHOLD = -3  # blocks at least this large are mapped apart, and unmapped when freed
_MMAP_THRESHOLD = 32 * 1024 * 1024  # the largest glibc takes: every block of a picture (Pillow's are 16 MB) from the heap
_TRIM_THRESHOLD = 512 * 1024 * 1024

_kept = False


def keep_freed_memory() -> bool:
    """Keep freed memory in this process (and in the processes it forks) for reuse, where
    the allocator is glibc's: True when it now does."""
    global _kept
    if _kept or not sys.platform.startswith("linux"):
        return _kept
    import ctypes

    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own symbols, the C library's among them
    except (OSError, AttributeError):
        return False
    mallopt.argtypes, mallopt.restype = [ctypes.c_int, ctypes.c_int], ctypes.c_int
    # The trim threshold first: setting either one stops glibc adjusting both as it goes.
    _kept = bool(mallopt(_M_TRIM_THRESHOLD, _TRIM_THRESHOLD)) and bool(mallopt(_M_MMAP_THRESHOLD, _MMAP_THRESHOLD))
    return _kept
