"""The machine a run was measured on, and a stable hash of it for matching runs.

The parts: host name, CPU model, logical cores, total memory, kernel release, Python
(implementation and version) and pbench version, taken from a result's metadata (see
:mod:`pbench.results.metadata`) and, for the host, from this machine at save time (the
metadata leaves the host out on purpose: result files get shared). Any part may be
unknown (None): a hyperfine file says nothing about its machine.

The fingerprint is the first 16 hex digits of the SHA-256 of the parts as canonical
JSON (sorted keys, no spaces), so it is the same on every platform and in every
version of pbench that keeps these parts; changing them changes every fingerprint,
which is why they are listed here once. Runs compare only on one fingerprint: a kernel,
Python or pbench upgrade starts a new machine on purpose.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from pbench.history.records import Machine

FINGERPRINT_DIGITS = 16
PARTS = ("host", "cpu_model", "cores", "memory_bytes", "kernel", "python", "pbench_version")


def machine_from(metadata: Mapping[str, Any], host: str | None) -> Machine:
    """The machine a result file's ``metadata`` describes, measured on ``host``."""
    parts: dict[str, Any] = {
        "host": host,
        "cpu_model": _get(metadata, "cpu", "model"),
        "cores": _int(_get(metadata, "cpu", "logical_count")),
        "memory_bytes": _int(_get(metadata, "memory", "total_bytes")),
        "kernel": _get(metadata, "os", "release"),
        "python": _python(metadata),
        "pbench_version": _text(metadata.get("pbench_version")),
    }
    parts = {key: _text(value) if key not in ("cores", "memory_bytes") else value
             for key, value in parts.items()}  # fmt: skip
    return Machine(fingerprint=fingerprint(parts), **parts)


def fingerprint(parts: Mapping[str, Any]) -> str:
    """The hash of the machine's parts (see the module docstring)."""
    canonical = json.dumps({key: parts.get(key) for key in PARTS}, sort_keys=True,
                           separators=(",", ":"), ensure_ascii=False)  # fmt: skip
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:FINGERPRINT_DIGITS]


def this_host() -> str | None:
    import platform

    return platform.node() or None


def _get(metadata: Mapping[str, Any], section: str, key: str) -> Any:
    found = metadata.get(section)
    return found.get(key) if isinstance(found, Mapping) else None


def _python(metadata: Mapping[str, Any]) -> str | None:
    version = _get(metadata, "python", "version")
    if version is None:
        return None
    implementation = _get(metadata, "python", "implementation")
    return f"{implementation} {version}" if implementation else str(version)


def _int(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _text(value: Any) -> str | None:
    return None if value is None else str(value)
