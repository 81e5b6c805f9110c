"""The bundled templates made ready for Jinja once, when they are built, not at every run.

Before a template renders, its body, headers and footers are made ready for Jinja
(docxtpl's `patch_xml`) and compiled by Jinja into Python: most of what `render` does
before its first case. `templates.precompiled` holds, for each bundled template (by a
hash of its bytes), those parts made ready and the Python Jinja compiles each into, behind
a fingerprint of the code that makes them ready (templating.py, this module) and the
versions of Jinja, docxtpl and Python they were made with. A template uses it only when
both match and its own bytes are those it was made from; anything else (an authority's
own template, another version of Jinja, a damaged file) is made ready and compiled as
before. `make templates` writes it again, and a test fails while the code has changed
since (not for other versions installed: those compile as they go).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sys
import zlib
from pathlib import Path
from typing import Any

from reunify.core.resources import TEMPLATES
from reunify.core.resources import bundled

PRECOMPILED = TEMPLATES / "templates.precompiled"
_SOURCES = ("documents/templating.py", "documents/precompiled.py")

# A template's parts made ready: its body, its headers and footers by part name (the XML
# and its encoding, or None when empty), and the Python Jinja compiles each part into.
Ready = dict[str, Any]


def fingerprint() -> str:
    """A hash of the code that makes the parts ready (the templates are keyed by their own)."""
    digest = hashlib.sha256()
    for name in _SOURCES:
        digest.update(bundled(*name.split("/")).read_bytes())
    return digest.hexdigest()


def made_with() -> str:
    """The versions of what the parts depend on besides that code: Jinja's and docxtpl's,
    and Python's (the compiled code). An install with others compiles as it goes."""
    import docxtpl
    import jinja2

    return f"Jinja {jinja2.__version__}, docxtpl {docxtpl.__version__}, Python {sys.version_info[0]}.{sys.version_info[1]}"


def built(path: Path = PRECOMPILED) -> tuple[str, str]:
    """The fingerprint and the versions `path` was made with."""
    data = json.loads(zlib.decompress(path.read_bytes()))
    return data["fingerprint"], data["made_with"]


def template_key(source: bytes) -> str:
    return hashlib.sha256(source).hexdigest()


@functools.cache
def _read(path: Path) -> dict[str, Ready]:
    try:
        data = json.loads(zlib.decompress(path.read_bytes()))
        if (data["fingerprint"], data["made_with"]) != (fingerprint(), made_with()):
            return {}
        found: dict[str, Ready] = data["templates"]
        return found
    except (OSError, ValueError, KeyError, TypeError, zlib.error):  # missing, damaged: compile as before
        return {}


def ready_made(source: bytes, path: Path = PRECOMPILED) -> Ready | None:
    """The parts of the template whose bytes are `source`, made ready when it was built; None
    when there are none, or they were made by other code than there is now."""
    found = _read(path).get(template_key(source))
    if not isinstance(found, dict):
        return None
    body, stories, code = found.get("body"), found.get("stories"), found.get("code")
    if not (isinstance(body, str) and isinstance(stories, dict) and isinstance(code, dict)
            and all(isinstance(k, str) and isinstance(v, str) for k, v in code.items())
            and all(story is None or (isinstance(story, list) and len(story) == 2
                                      and all(isinstance(s, str) for s in story)) for story in stories.values())):
        return None
    return found


def write(templates: list[Path], path: Path = PRECOMPILED) -> None:
    """Make each template's parts ready, compile them, and write them all to `path`."""
    from reunify.core.files import write_atomic
    from reunify.documents.templating import CompiledTemplate
    from reunify.documents.templating import for_jinja

    made: dict[str, Ready] = {}
    for template_path in templates:
        template = CompiledTemplate.load(template_path, ready=False)
        template.prepare()
        if template.body is None:
            raise ValueError(f"{template_path}: cannot be made ready")
        code = {xml: template.env.compile(for_jinja(xml), raw=True) for xml in template.parts}
        made[template_key(template.source)] = {"body": template.body, "stories": template.stories, "code": code}
    data = json.dumps({"fingerprint": fingerprint(), "made_with": made_with(), "templates": made},
                      sort_keys=True).encode("utf-8")
    write_atomic(path, zlib.compress(data, 9), mode=0o644)  # package data, read by whoever runs reunify
    _read.cache_clear()


if __name__ == "__main__":  # make templates
    write(sorted(TEMPLATES.glob("*.docx")))
    print(f"wrote {PRECOMPILED}")
