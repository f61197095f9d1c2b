"""Catalog: joins, name resolution, and facts checked against their sources.

Reference facts are from shared/reference/pakistan/facts.md (section numbers
given per test), which cites CelesTrak's SATCAT and launch reports.
"""

import datetime as dt

import pytest

from orbitview.util.errors import NoElementsError, UnknownSatelliteError

UTC = dt.timezone.utc


@pytest.mark.parametrize("query", ["PRSS-1", "prss 1", "PRSS 1", "43530", 43530, "2018-056B",
                                   "2018-056b", "18056B", "Pakistan Remote Sensing Satellite-1",
                                   " prss_1 "])
def test_every_form_names_prss1(catalog, query):
    assert catalog.resolve(query).norad_id == 43530


@pytest.mark.parametrize("query,norad", [
    ("PRSC-EO1", 62725), ("EO-1", 62725), ("KAUKAB EO-1", 62725), ("pak eo1", 62725),
    ("PRSC-E03", 68835), ("prsc-eo3", 68835), ("PRSC-S1", 65055), ("KS-1", 65055),
    ("PakSat-MM1", 59915), ("paksat mm1r", 59915), ("2024-104A", 59915),
    ("Badr-A", 20685), ("PAKSAT 1 (ANATOLIA 1)", 23779), ("Palapa C1", 23779),
    ("HS-1", 66054), ("2025-234B", 66054), ("PAKTES 1A", 43529), ("paksat-1r", 37779),
])
def test_aliases_resolve(catalog, query, norad):
    assert catalog.resolve(query).norad_id == norad


def test_records_without_identifiers_resolve_by_name(catalog):
    assert catalog.resolve("iCube-Qamar").name == "ICUBE-Q"
    assert catalog.resolve("eo 2").name == "PRSC-EO2"


def test_unknown_name_suggests_close_matches(catalog):
    with pytest.raises(UnknownSatelliteError) as info:
        catalog.resolve("PRSS-2")
    text = str(info.value)
    assert "unknown satellite 'PRSS-2'" in text
    assert "Did you mean" in text and "'PRSS-1'" in text
    assert text.splitlines()[-1].startswith("Fix: ")
    assert isinstance(info.value, KeyError)


def test_suggestions_name_each_object_once(catalog):
    """'PRSS-1' has the aliases 'PRSS-01' and 'PRSS 1', 'PakSat-1R' has 'Paksat 1R'
    (data/launches.csv): a close miss suggests each object once, by its name."""
    with pytest.raises(UnknownSatelliteError) as info:
        catalog.resolve("PRSS-2")
    assert info.value.suggestions == ["PRSS-1", "PRSC-S1", "PRSC-EO2", "PRSC-EO3"]
    assert str(info.value).splitlines()[0] == (
        "unknown satellite 'PRSS-2'. Did you mean 'PRSS-1', 'PRSC-S1', 'PRSC-EO2', 'PRSC-EO3'?")
    with pytest.raises(UnknownSatelliteError) as info:
        catalog.resolve("paksat")
    assert info.value.suggestions == ["PakSat-1R", "PakSat-1", "PakSat-MM1"]


def test_unknown_norad_number(catalog):
    with pytest.raises(UnknownSatelliteError, match="unknown satellite '99999'"):
        catalog.resolve("99999")


def test_fifteen_records_sorted_by_launch(catalog):
    names = [s.name for s in catalog]
    assert len(names) == 15
    assert names[0] == "Badr-1" and names[-1] == "PRSC-EO3"
    times = [s.record.launch_time for s in catalog]
    assert times == sorted(times)


def test_join_by_norad_not_by_name(catalog):
    # 65055's 2025 element set is named "PRSS-1" (facts.md 2.12); it must stay with PRSC-S1.
    prsc_s1 = catalog.resolve("PRSC-S1")
    assert [es.name for es in prsc_s1.elements] == ["PRSS-1", "PRSC-S1", "PRSC-S1"]
    prss1 = catalog.resolve("PRSS-1")
    assert {es.norad_id for es in prss1.elements} == {43530}
    assert len(prss1.elements) == 2


def test_history_is_oldest_first_with_provenance(catalog):
    eo1 = catalog.resolve("PRSC-EO1").elements
    assert [e.epoch.date().isoformat() for e in eo1] == ["2026-05-29", "2026-06-26",
                                                         "2026-09-06"]
    assert "astrion-tech/celestrak-mirror" in eo1[-1].source
    assert "0639269b" in eo1[-1].source


@pytest.mark.parametrize("name,reason", [
    ("ICUBE-Q", "lunar orbit"), ("PRSC-EO2", "no confirmed NORAD"), ("Badr-1", "decayed"),
])
def test_records_without_elements_say_why(catalog, name, reason):
    sat = catalog.resolve(name)
    assert sat.elements == []
    assert reason in sat.why_no_elements()
    with pytest.raises(NoElementsError, match=reason):
        sat.require_elements()


def test_prss1_facts(catalog):
    # facts.md 2.6/2.7: 2018-07-09 03:56 UTC, Long March 2C, Jiuquan.
    r = catalog.resolve("PRSS-1").record
    assert (r.norad_id, r.cospar_id) == (43530, "2018-056B")
    assert r.launch_time == dt.datetime(2018, 7, 9, 3, 56, tzinfo=UTC)
    assert r.launch_vehicle == "Long March 2C" and r.launch_site == "Jiuquan"


def test_uncertain_facts_are_marked(catalog):
    assert "launch_utc" in catalog.resolve("Badr-B").record.uncertain
    assert catalog.resolve("Badr-B").record.launch_time_known is False
    pausat = catalog.resolve("PAUSAT-1").record
    assert "operator" in pausat.uncertain and "UNCONFIRMED" in pausat.notes
    assert {"cospar_id", "norad_id"} <= set(catalog.resolve("PRSC-EO2").record.uncertain)
