"""Property-based fuzz of the element readers: any input gives valid sets or clear errors.

Never a crash, never a set whose lines were silently altered, never a problem
without a location.
"""

import json

from conftest import PAKSAT_MM1_OMM
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sgp4.io import compute_checksum

from orbitview.data.elements import parse_omm, parse_tle_text, read_elements_text

TLE = ("PRSS-1                  \n"
       "1 43530U 18056B   26177.97996134  .00000528  00000+0  72992-4 0  9993\n"
       "2 43530  97.7822 245.5786 0001515  75.3640 284.7741 14.82001912429888\n")
OMM = PAKSAT_MM1_OMM
FUZZ = settings()   # the profile chosen in conftest.py (fixed in CI, exploratory locally)


def _check_tle_result(text, sets, problems):
    lines = text.splitlines()
    for es in sets:
        stripped = [line.rstrip() for line in lines]
        assert es.line1 in stripped and es.line2 in stripped
        for line in (es.line1, es.line2):
            assert len(line) == 69 and int(line[68]) == compute_checksum(line)
        assert es.norad_id >= 0 and es.epoch.tzinfo is not None
    for p in problems:
        assert p.message().startswith("fuzz.tle") and p.what


@st.composite
def mutated_tle(draw):
    text = list(TLE)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["replace", "delete", "insert"]))
        i = draw(st.integers(0, len(text) - 1))
        ch = draw(st.sampled_from(list("0123456789 .-+AZx\n\t")))
        if kind == "replace":
            text[i] = ch
        elif kind == "delete":
            del text[i]
        else:
            text.insert(i, ch)
    return "".join(text)


@FUZZ
@given(mutated_tle())
# Found by this test: a tab inside line 1 reached sgp4's epoch conversion
# ("month must be in 1..12").
@example("PRSS-1\n1 43530U 18\t56B   26177.97996134  .00000528  00000+0  72992-4 0  9993\n"
         + TLE.splitlines()[2] + "\n")
# Found by this test: a negative mean motion made sgp4's Python initialiser raise TypeError.
@example(TLE.replace("14.82001912429888", "-4.82001912429888"))
def test_mutated_tle_never_crashes_or_lies(text):
    sets, problems = parse_tle_text(text, "fuzz.tle")
    _check_tle_result(text, sets, problems)
    # Unless the mutation left both lines intact, the set is either rejected or flagged.
    if text != TLE and sets and TLE.splitlines()[1] not in text:
        assert sets[0].line1 != TLE.splitlines()[1]


@FUZZ
@given(st.text(max_size=400))
def test_arbitrary_text_never_crashes(text):
    sets, problems = read_elements_text(text, "fuzz.tle")
    for p in problems:
        assert p.what


json_values = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                        st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                        st.lists(st.integers(), max_size=3))


@FUZZ
@given(st.dictionaries(st.sampled_from(sorted(OMM)), json_values, max_size=4),
       st.lists(st.sampled_from(sorted(OMM)), max_size=3))
# Found by this test: a superscript two passes str.isdigit(), but int('\u00b2') raised ValueError.
@example({"ARG_OF_PERICENTER": False, "REV_AT_EPOCH": "\u00b2"}, [])
@example({"NORAD_CAT_ID": "\u00b9\u00b2"}, [])
def test_mutated_omm_never_crashes_or_lies(changes, removed):
    record = {**OMM, **changes}
    for key in removed:
        record.pop(key, None)
    sets, problems = parse_omm(json.dumps([record]), "fuzz.json", fmt="json")
    assert len(sets) + bool(problems) >= 1
    for es in sets:
        assert es.norad_id == int(str(record["NORAD_CAT_ID"]).strip())
        assert es.satrec.error == 0
        assert es.mean_motion_rev_per_day > 0
    for p in problems:
        assert p.message().startswith("fuzz.json") and p.what


@FUZZ
@given(st.recursive(json_values, lambda c: st.lists(c, max_size=3) |
                    st.dictionaries(st.text(max_size=8), c, max_size=3), max_leaves=10))
def test_arbitrary_json_never_crashes(value):
    sets, problems = parse_omm(json.dumps(value), "fuzz.json", fmt="json")
    assert sets == [] or all(es.satrec.error == 0 for es in sets)


# --------------------------------------------------------------------------- store and CSV readers

@FUZZ
@given(st.binary(max_size=600))
@example(b"\xff\xfe")
@example(b'name,launch_utc,orbit_class\n"unterminated')
def test_arbitrary_launches_csv_never_crashes(tmp_path_factory, data):
    from orbitview.data.catalog import read_launches
    path = tmp_path_factory.mktemp("csv") / "launches.csv"
    path.write_bytes(data)
    records, problems = read_launches(path)
    for p in problems:
        assert str(p.path) == str(path) and p.what


def _store_entry():
    return {"omm": dict(OMM), "provenance": {"url": "https://celestrak.org/x",
                                             "retrieved_utc": "2026-09-07T03:00:00Z"}}


@FUZZ
@given(st.recursive(json_values, lambda c: st.lists(c, max_size=3) |
                    st.dictionaries(st.sampled_from(["omm", "provenance", "url", *OMM]), c,
                                    max_size=4), max_leaves=12),
       st.integers(0, 3))
def test_arbitrary_store_file_never_crashes(tmp_path_factory, value, where):
    from orbitview.data.sources import read_history_file
    entries = [_store_entry() for _ in range(3)]
    if where < 3:
        entries[where] = value           # one damaged entry among good ones
    else:
        entries = value                  # the whole file
    path = tmp_path_factory.mktemp("store") / "59915.json"
    path.write_text(json.dumps(entries, indent=1))
    sets, problems = read_history_file(path)
    assert all(es.satrec.error == 0 and es.norad_id == 59915 for es in sets)
    for p in problems:
        assert str(p.path) == str(path) and p.what and 59915 in p.affects
    if where < 3 and not problems:
        assert len(sets) == 3


@FUZZ
@given(st.text(max_size=300), st.integers(0, 400))
@example("[" * 5000, 0)
@example("9" * 5000, 0)
# Found by this test: an error on the text's last line made the JSON reader index past it.
@example("", 204)
# Found by this test: '[' + ']' is an empty history, read as no sets and no problem.
@example("]", 1)
def test_truncated_or_garbled_store_file_never_crashes(tmp_path_factory, junk, cut):
    from orbitview.data.sources import read_history_file
    text = json.dumps([_store_entry()], indent=1)
    path = tmp_path_factory.mktemp("store") / "59915.json"
    path.write_text(text[:cut] + junk)
    sets, problems = read_history_file(path)
    assert bool(sets) != bool(problems) or (not sets and problems)
