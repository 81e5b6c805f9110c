"""Two versions of a record file merged by meaning (reunify/sync/merge.py).

Each test gives the version both sides started from, what each side made of it, and
what the merge must be: every entry once, in date order; a field changed on one side
taken; comments kept; only a real clash stopped, naming the record and the field.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st

from reunify.core.yamlio import load_text
from reunify.sync.merge import merge_record
from reunify.sync.roundtrip import merge_round_trip
from reunify.sync.splice import merge_by_splice

EVENTS = """\
# Steps done so far.
steps:
  - {step: identify, date: 2026-09-01, by: sw}
# Visits to the child ('reunify visit' appends here).
visits:
  - date: 2026-09-10
    by: sw
    announced: true
    seen_alone: true
# SDQ scores.
sdq:
  - {date: 2026-05-20, total: 18, informant: parent}
"""

RISK = """\
classifications:
  - id: RC1
    date: 2026-07-07
    level: medium
    rationale: Progress is recent.
    recommended_by: [tm]
"""

AGREEMENT = """\
agreed: 2026-09-02
review_date: 2026-11-26  # at the planning review
parents:
  - person: jo
    goals:
      - change: Jo stays alcohol-free.
        due: 2027-01-31
        reviews:
          - date: 2026-09-30
            rating: green
      - change: Jo keeps a routine.
        reviews: []
"""


def dedent(text: str) -> str:
    return textwrap.dedent(text)


def visit(day: str, by: str = "sw", note: str | None = None) -> str:
    return (f"  - date: {day}\n    by: {by}\n    announced: false\n    seen_alone: true\n"
            + (f"    note: {note}\n" if note else ""))


def with_visits(*visits: str, text: str = EVENTS) -> str:
    return text.replace("# SDQ scores.", "".join(visits) + "# SDQ scores.")


def data(text: str) -> dict:  # type: ignore[type-arg]
    loaded = load_text(text, __import__("pathlib").Path("x.yaml"))
    assert loaded.ok, loaded.problems
    return loaded.data  # type: ignore[no-any-return]


def test_entries_added_on_both_sides_are_all_kept_in_date_order_with_the_comments() -> None:
    ours = with_visits(visit("2026-10-20"))
    theirs = with_visits(visit("2026-10-05", "tm"), visit("2026-11-02", "tm"))
    merged = merge_record("events.yaml", EVENTS, ours, theirs)
    assert merged.clashes == [] and merged.text is not None
    days = [v["date"] for v in data(merged.text)["visits"]]
    assert days == [dt.date(2026, 9, 10), dt.date(2026, 10, 5), dt.date(2026, 10, 20), dt.date(2026, 11, 2)]
    for comment in ("# Steps done so far.", "# Visits to the child", "# SDQ scores."):
        assert merged.text.count(comment) == 1, merged.text
    assert merged.text.index("# SDQ scores.") > merged.text.rindex("2026-11-02")  # still above its key
    assert "{step: identify, date: 2026-09-01, by: sw}" in merged.text  # flow style kept


def test_the_same_entry_added_on_both_sides_is_kept_once() -> None:
    both = with_visits(visit("2026-10-20"))
    merged = merge_record("events.yaml", EVENTS, both, with_visits(visit("2026-10-20"), visit("2026-10-21")))
    assert merged.text is not None
    assert [v["date"].day for v in data(merged.text)["visits"]] == [10, 20, 21]


def test_a_field_changed_on_one_side_is_taken_and_the_other_sides_additions_too() -> None:
    theirs = EVENTS.replace("total: 18", "total: 17")
    merged = merge_record("events.yaml", EVENTS, with_visits(visit("2026-10-20")), theirs)
    assert merged.text is not None
    result = data(merged.text)
    assert result["sdq"][0]["total"] == 17 and len(result["visits"]) == 2


def test_only_one_side_changed_gives_that_side_exactly() -> None:
    theirs = with_visits(visit("2026-10-20")).replace("# Steps", "#  Steps")
    assert merge_record("events.yaml", EVENTS, EVENTS, theirs).text == theirs


def test_the_same_field_changed_differently_is_a_clash_naming_record_and_field_not_the_value() -> None:
    ours = RISK.replace("level: medium", "level: high")
    theirs = RISK.replace("level: medium", "level: low")
    merged = merge_record("risk.yaml", RISK, ours, theirs)
    assert merged.text is None
    [clash] = merged.clashes
    assert clash.path == ("classifications", 0, "level")
    message = clash.message("on the remote")
    assert message == "classification RC1, the field 'level': changed here and on the remote, differently"
    assert "high" not in message and "low" not in message


def test_the_same_decision_recorded_twice_differently_is_a_clash_and_alike_is_one() -> None:
    base = "decisions:\n  - {id: D1, date: 2026-09-01, by: tm, outcome: pursue}\n"
    ours = base + "  - {id: D2, date: 2026-10-01, by: sm, outcome: proceed}\n"
    theirs = base + "  - {id: D2, date: 2026-10-01, by: sm, outcome: stop}\n"
    [clash] = merge_record("decisions.yaml", base, ours, theirs).clashes
    assert clash.message() == "decision D2, the field 'outcome': recorded here and in the other version, differently"
    merged = merge_record("decisions.yaml", base, ours, ours.replace("{id: D2", "{ id: D2"))
    assert merged.text is not None and len(data(merged.text)["decisions"]) == 2


def test_a_classification_confirmed_on_one_side_and_another_recorded_on_the_other() -> None:
    ours = RISK + "    confirmed_by: sm\n    confirmed: 2026-07-14\n"
    theirs = RISK + ("  - id: RC2\n    date: 2026-11-20\n    level: low\n    rationale: Sustained.\n"
                     "    recommended_by: [tm]\n")
    merged = merge_record("risk.yaml", RISK, ours, theirs)
    assert merged.text is not None
    rc1, rc2 = data(merged.text)["classifications"]
    assert rc1["confirmed_by"] == "sm" and rc2["id"] == "RC2"


def test_goal_reviews_added_to_the_same_goal_on_both_sides_are_both_kept() -> None:
    review = "          - date: {day}\n            rating: amber\n"
    ours = AGREEMENT.replace("            rating: green\n", "            rating: green\n"
                             + review.format(day="2026-10-28"), 1)
    theirs = AGREEMENT.replace("        reviews: []\n", "        reviews:\n" + review.format(day="2026-10-30"))
    theirs = theirs.replace("            rating: green\n", "            rating: green\n"
                            + review.format(day="2026-10-14"), 1)
    merged = merge_record("agreement.yaml", AGREEMENT, ours, theirs)
    assert merged.clashes == [] and merged.text is not None
    first, second = data(merged.text)["parents"][0]["goals"]
    assert [r["date"].isoformat() for r in first["reviews"]] == ["2026-09-30", "2026-10-14", "2026-10-28"]
    assert [r["date"].isoformat() for r in second["reviews"]] == ["2026-10-30"]
    assert "review_date: 2026-11-26  # at the planning review" in merged.text


def test_an_entry_changed_in_different_fields_on_each_side_is_merged_field_by_field() -> None:
    base = with_visits(visit("2026-10-20"))
    ours = base.replace("  - date: 2026-10-20\n    by: sw\n    announced: false",
                        "  - date: 2026-10-20\n    by: sw\n    announced: true")
    theirs = with_visits(visit("2026-10-20", note="Seen at school."))
    merged = merge_record("events.yaml", base, ours, theirs)
    assert merged.text is not None
    last = data(merged.text)["visits"][-1]
    assert last["announced"] is True and last["note"] == "Seen at school."
    clash = merge_record("events.yaml", base, with_visits(visit("2026-10-20", note="A")),
                         with_visits(visit("2026-10-20", note="B")))
    assert [c.message() for c in clash.clashes] == [
        "visit 2, the field 'note': changed here and in the other version, differently"]


def test_an_entry_removed_on_one_side_and_changed_on_the_other_is_a_clash() -> None:
    base = with_visits(visit("2026-10-20"))
    merged = merge_record("events.yaml", base, EVENTS, with_visits(visit("2026-10-20", note="Seen.")))
    assert merged.text is None and [c.kind for c in merged.clashes] == ["removed"]


def test_an_entry_removed_on_one_side_only_is_removed() -> None:
    base = with_visits(visit("2026-10-20"))
    merged = merge_record("events.yaml", base, EVENTS, with_visits(visit("2026-10-20"), visit("2026-11-01")))
    assert merged.text is not None
    assert [v["date"].day for v in data(merged.text)["visits"]] == [10, 1]


def test_a_file_new_on_both_sides_merges_against_nothing() -> None:
    ours = "entries:\n  - {date: 2026-10-01, event: A visit., source: Worker}\n"
    theirs = "entries:\n  - {date: 2026-09-01, event: A call., source: School}\n"
    merged = merge_record("chronology.yaml", None, ours, theirs)
    assert merged.text is not None
    assert [e["event"] for e in data(merged.text)["entries"]] == ["A call.", "A visit."]


def test_text_that_is_not_a_yaml_mapping_is_left_to_a_line_merge() -> None:
    merged = merge_record("events.yaml", EVENTS, "visits: [\n", EVENTS)
    assert merged.text is None and merged.clashes == []
    assert merge_record("events.yaml", EVENTS, "- a list\n", EVENTS).text is None


def test_people_are_merged_by_id_and_a_household_member_added_on_each_side() -> None:
    base = dedent("""\
        people:
          - {id: jo, name: Jo Example}
        households:
          - id: flat
            name: The flat
            members: [jo]
        """)
    ours = base.replace("members: [jo]", "members: [jo, ali]").replace(
        "people:\n", "people:\n  - {id: ali, name: Ali Example}\n")
    theirs = base.replace("members: [jo]", "members: [jo, kim]") + "couples:\n  - {people: [jo, kim], status: married}\n"
    merged = merge_record("people.yaml", base, ours, theirs)
    assert merged.text is not None
    result = data(merged.text)
    assert result["households"][0]["members"] == ["jo", "ali", "kim"]
    assert [p["id"] for p in result["people"]] == ["ali", "jo"] and len(result["couples"]) == 1


def test_a_timetable_date_changed_differently_names_no_key_from_the_file() -> None:
    base = "timetable:\n  rc2: 2026-12-10\n"
    [clash] = merge_record("events.yaml", base, base.replace("12-10", "12-11"), base.replace("12-10", "12-12")).clashes
    assert clash.message() == ("the field 'timetable', one of its entries: changed here and in the other version, "
                               "differently")


def test_a_family_file_is_a_record_too() -> None:
    base = "reference: FAM-1\nteam:\n  - {id: sw, name: Sam Rivers, role: social_worker}\n"
    ours = base + "  - {id: tm, name: Tara Moss, role: team_manager}\n"
    theirs = base.replace("FAM-1", "FAM-2")
    merged = merge_record("family.yaml", base, ours, theirs)
    assert merged.text is not None and data(merged.text)["reference"] == "FAM-2"


DAYS = st.dates(min_value=dt.date(2026, 1, 1), max_value=dt.date(2026, 12, 31))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(DAYS, st.sampled_from(["ours", "theirs", "both", "base"])), max_size=14, unique_by=lambda e: e[0]))
def test_any_split_of_entries_merges_to_each_once_in_date_order(entries: list[tuple[dt.date, str]]) -> None:
    def version(sides: set[str]) -> str:
        chosen = sorted(day for day, side in entries if side in sides)
        return "entries:\n" + "".join(f"  - {{date: {d}, event: Event {d}., source: Worker}}\n" for d in chosen)

    base, ours, theirs = version({"base"}), version({"base", "ours", "both"}), version({"base", "theirs", "both"})
    merged = merge_record("chronology.yaml", base, ours, theirs)
    assert merged.text is not None, merged.clashes
    days = [e["date"] for e in (data(merged.text)["entries"] or [])]
    assert days == sorted(day for day, _ in entries)
    round_trip = merge_round_trip("chronology.yaml", base, ours, theirs)
    assert round_trip.text is not None and data(round_trip.text) == data(merged.text)


def test_entries_added_on_both_sides_are_spliced_as_written_and_mean_what_the_round_trip_means() -> None:
    ours = with_visits(visit("2026-10-20"))
    theirs = with_visits(visit("2026-10-05", "tm") + "    # seen at the family centre\n", visit("2026-11-02", "tm"))
    spliced = merge_by_splice("events.yaml", EVENTS, ours, theirs)
    assert spliced is not None and spliced.text is not None
    assert "    seen_alone: true\n    # seen at the family centre\n  - date: 2026-10-20" in spliced.text
    round_trip = merge_round_trip("events.yaml", EVENTS, ours, theirs)
    assert round_trip.text is not None and data(round_trip.text) == data(spliced.text)


def test_what_the_splice_cannot_write_is_left_to_the_round_trip() -> None:
    review = "          - date: 2026-10-28\n            rating: amber\n"
    ours = AGREEMENT.replace("            rating: green\n", "            rating: green\n" + review, 1)
    theirs = AGREEMENT.replace("        reviews: []\n", "        reviews:\n" + review)
    assert merge_by_splice("agreement.yaml", AGREEMENT, ours, theirs) is None  # a parent changed on both sides
    assert merge_record("agreement.yaml", AGREEMENT, ours, theirs).text is not None


def test_the_round_trip_keeps_each_comment_once_too() -> None:
    ours = with_visits(visit("2026-10-20"))
    theirs = with_visits(visit("2026-10-05", "tm"), visit("2026-11-02", "tm"))
    merged = merge_round_trip("events.yaml", EVENTS, ours, theirs)
    assert merged.text is not None
    for comment in ("# Steps done so far.", "# Visits to the child", "# SDQ scores."):
        assert merged.text.count(comment) == 1, merged.text
    assert merged.text.index("# SDQ scores.") > merged.text.rindex("2026-11-02")
    assert merged.text == merge_record("events.yaml", EVENTS, ours, theirs).text
