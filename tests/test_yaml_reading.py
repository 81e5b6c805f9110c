"""The fast read path (libyaml through PyYAML) reads every file as ruamel.yaml does."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from reunify.core import fastloader
from reunify.core import yamlio
from tests.conftest import SAMPLES

# Plain scalars where YAML 1.1 and 1.2 differ, or where a loader could go wrong.
TRICKY = ["yes", "no", "on", "off", "y", "n", "True", "TRUE", "true", "False", "null", "Null", "~",
          "", "010", "0o17", "0x1F", "0b101", "1_000", "+5", "-3", "1:20", "1.5", "1e3", "1.0e+3",
          ".5", ".inf", "-.Inf", ".NaN", "2024-02-30", "2024-01-01", "2024-1-1", "2024-01-01 10:00:00",
          "12:30:00", "0", "-0", "00", "09", "1.", "+.5", "190:20:30.15", "<<", "=", "0.1_5"]


def _ruamel_c() -> Any:
    """ruamel.yaml's own safe loader with its C parser: the reference for plain data."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="safe", pure=False)
    yaml.Constructor = yamlio._SafeConstructor
    return yaml


REFERENCE = _ruamel_c()


def _both(text: str) -> tuple[Any, Any]:
    def read(loader: Any) -> Any:
        try:
            return loader(text)
        except Exception as exc:
            return type(exc).__name__

    fast = read(lambda t: fastloader.pyyaml.load(t, Loader=fastloader._FastLoader))
    slow = read(REFERENCE.load)
    return fast, slow


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a):
        return math.isnan(b)
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@pytest.mark.parametrize("scalar", TRICKY)
def test_plain_scalars_read_as_yaml_1_2(scalar: str) -> None:
    for text in (f"key: {scalar}\n", f"- {scalar}\n"):
        fast, slow = _both(text)
        assert _same(fast, slow), (text, fast, slow)


def test_no_is_text_and_010_is_ten() -> None:
    loaded = fastloader.pyyaml.load("a: no\nb: 010\nc: 2024-02-30\n", Loader=fastloader._FastLoader)
    assert loaded == {"a": "no", "b": 10, "c": "2024-02-30"}
    assert isinstance(loaded["c"], fastloader.InvalidDate)


def test_every_sample_file_reads_the_same() -> None:
    files = sorted(SAMPLES.glob("*/*.yaml"))
    assert files
    for path in files:
        fast, slow = _both(path.read_text(encoding="utf-8"))
        assert _same(fast, slow), path


@settings(max_examples=300, deadline=None)
@given(st.recursive(
    st.sampled_from(TRICKY) | st.text(alphabet="abc -:#'\"[]{}!&*?,|>\n\t0123456789.", max_size=12),
    lambda children: st.lists(children, max_size=3) | st.dictionaries(
        st.sampled_from(["a", "b", "c", "<<", "1", "no"]), children, max_size=3),
    max_leaves=8,
))
def test_any_document_reads_the_same_or_fails_the_same(shape: Any) -> None:
    text = _render(shape, 0)
    fast, slow = _both(text)
    if isinstance(fast, str) and fast.endswith("Error"):
        assert isinstance(slow, str) and slow.endswith("Error"), (text, fast, slow)
    else:
        assert _same(fast, slow), (text, fast, slow)


def _render(shape: Any, indent: int) -> str:
    pad = " " * indent
    if isinstance(shape, dict):
        return "".join(f"{pad}{key}:\n{_render(value, indent + 2)}" for key, value in shape.items()) or f"{pad}{{}}\n"
    if isinstance(shape, list):
        return "".join(f"{pad}-\n{_render(value, indent + 2)}" for value in shape) or f"{pad}[]\n"
    return f"{pad}{shape}\n"


@pytest.mark.parametrize("text", ["a: 1\na: 2\n", "- {x: 1, x: 2}\n"])
def test_a_duplicate_key_is_a_problem_with_its_line(tmp_path: Path, text: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text)
    loaded = yamlio.load_file(path)
    assert [p.message for p in loaded.problems] == ["a key appears twice in the same mapping"]
    assert loaded.problems[0].line == (2 if text.startswith("a") else 1)


@pytest.mark.parametrize("text", ["[" * 40000 + "]" * 40000, "- " * 40000 + "x\n"])
def test_nesting_too_deep_for_c_is_read_safely(tmp_path: Path, text: str) -> None:
    path = tmp_path / "case.yaml"
    path.write_text(text)
    loaded = yamlio.load_file(path)  # libyaml would overflow the C stack here
    assert loaded.problems and "nested too deeply" in loaded.problems[0].message


def _long_chronology(entries: int) -> str:
    entry = ("  - date: 2020-01-{day:02d}\n    event: 'Visit: [note] {{seen}} - all well?'\n"
             "    factors: [neglect, domestic_abuse]\n    impact: >-\n      - a line that looks like a list\n")
    return "chronologist: cr\nentries:\n" + "".join(entry.format(day=1 + i % 28) for i in range(entries))


def test_a_long_chronology_is_read_by_libyaml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # 5,000 entries hold over 15,000 indicators but nest four deep: the pure parser,
    # eight to twelve times slower, must not be used for them.
    def pure_parser() -> Any:
        raise AssertionError("the pure-Python parser was used")

    monkeypatch.setattr(yamlio, "_safe", pure_parser)
    path = tmp_path / "chronology.yaml"
    path.write_text(_long_chronology(5000))
    loaded = yamlio.load_file(path)
    assert loaded.ok, loaded.problems
    assert len(loaded.data["entries"]) == 5000
    assert loaded.data["entries"][-1]["factors"] == ["neglect", "domestic_abuse"]


@pytest.mark.parametrize(("text", "depth"), [
    ("".join(f"{' ' * i}- \n" for i in range(3000)) + " " * 3000 + "x\n", 3000),  # line by line
    ("".join(f"{' ' * i}k:\n{' ' * i}- \n" for i in range(1500)) + " " * 1500 + "x\n", 3000),  # two to a column
    ("- " * 3000 + "x\n", 3000),  # compact, on one line
    ("a: " + "[" * 6000 + "]" * 6000 + "\n", 6001),  # flow inside block
    ("- " * 2 + "{a: " * 3000 + "}" * 3000 + "\n", 3002),
    ("x\u2028" + "- " * 6000 + "x\n", 6000),  # after a line break only YAML 1.1 knows
    ("? k\n: " + "- " * 6000 + "x\n", 6001),  # the value of an explicit key
])
def test_the_depth_bound_is_never_below_the_depth(text: str, depth: int, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(fastloader, "_LIBYAML_LIMITS_NESTING", False)  # as with libyaml before 0.2.6
    # What the bound lets through goes to libyaml's recursive composer: it must never
    # be shallower than the file. Every one of these is still read without a crash.
    assert fastloader._depth_bound(text) >= depth
    loaded = yamlio.load_text(text, Path("case.yaml"))
    assert loaded.problems or loaded.data is not None


def test_the_copied_resolver_table_is_ruamels_for_yaml_1_2() -> None:
    from ruamel.yaml.resolver import implicit_resolvers

    theirs = [(tag, pattern.pattern, "".join(char or " " for char in first))  # " ": the empty scalar
              for versions, tag, pattern, first in implicit_resolvers if (1, 2) in versions]
    ours = [(f"tag:yaml.org,2002:{tag}", pattern, first) for tag, pattern, first in fastloader.RESOLVERS_1_2]
    assert ours == theirs
