"""The site's pages: Jinja templates, sandboxed and escaping every value, compiled once
per process.

The bundled templates are in `reunify/site/templates/`; a caseload profile's templates
folder (`templates:` in reunify.yaml) may hold `site/<name>.html.j2`, which replaces the
bundled template of that name. As in the documents, values are data, never templates:
a record holding `{{ 7*7 }}` or `<script>` shows as written.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from typing import ClassVar

from jinja2 import ChoiceLoader
from jinja2 import FileSystemLoader
from jinja2 import StrictUndefined
from jinja2 import TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from reunify.core.errors import ReunifyError
from reunify.core.files import write_atomic
from reunify.core.resources import bundled
from reunify.site.charts import SHAPES

TEMPLATES = bundled("site", "templates")
ASSETS = bundled("site", "assets")
MARKING = "OFFICIAL-SENSITIVE"
CSP = ("default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; base-uri 'none'; "
       "form-action 'none'")


class SiteTemplateError(ReunifyError):
    """A site template cannot be used: its tags are wrong, or it asks for what is not there."""


def long_day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def plural(count: int, word: str, many: str | None = None) -> str:
    return f"{count} {word if count == 1 else (many or word + 's')}"


class Pages:
    """The templates of one site, from the bundled folder and, before it, a local one."""

    _cache: ClassVar[dict[Path | None, Pages]] = {}

    def __init__(self, local: Path | None) -> None:
        folders = ([str(local / "site")] if local is not None else []) + [str(TEMPLATES)]
        self.env = ImmutableSandboxedEnvironment(
            loader=ChoiceLoader([FileSystemLoader(folder) for folder in folders]),
            autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(marking=MARKING, csp=CSP, shapes=SHAPES)
        self.env.filters.update(long_day=long_day, plural=plural)

    @classmethod
    def for_folder(cls, local: Path | None) -> Pages:
        """The pages of a site with the local templates in `local` (compiled once per process)."""
        if local not in cls._cache:
            cls._cache[local] = cls(local)
        return cls._cache[local]

    def render(self, name: str, today: dt.date, root: str, **context: Any) -> str:
        """Template `name` (e.g. 'case' for case.html.j2) with `context`; `root`: the way
        from the page to the site's top ('' or '../')."""
        try:
            return self.env.get_template(f"{name}.html.j2").render(
                today=today, root=root, active="caseload" if name == "index" else name, **context)
        except TemplateError as exc:
            where = getattr(exc, "filename", None) or f"{name}.html.j2"
            line = getattr(exc, "lineno", None)
            raise SiteTemplateError(f"{where}{f':{line}' if line else ''}: the site template cannot be used "
                                    f"({type(exc).__name__}: {exc.message or 'error'})") from None

    def write(self, path: Path, name: str, today: dt.date, root: str, **context: Any) -> None:
        write_atomic(path, self.render(name, today, root, **context).encode("utf-8"))

    def write_case(self, out: Path, page: dict[str, Any], today: dt.date, families: bool) -> None:
        self.write(out / "cases" / f"{page['slug']}.html", "case", today, "../", page=page, families=families)
