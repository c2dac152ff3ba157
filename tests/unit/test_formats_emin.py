"""The whole Emin list survives every export format."""

from __future__ import annotations

from lvzhi.formats import dump, load


def test_json_export_import_export_is_byte_identical(emin):
    first = dump(emin, "json")
    again = dump(load(first, "json", source_name="emin.json"), "json")
    assert first == again
    assert load(first, "json", source_name="emin.json") == emin


def test_csv_round_trip_keeps_every_field(emin):
    back = load(dump(emin, "csv"), "csv", source_name="emin.csv", version=emin.version)
    assert back == emin


def test_xlsx_round_trip_keeps_every_field(emin):
    back = load(dump(emin, "xlsx"), "xlsx", source_name="emin.xlsx")
    assert back == emin
