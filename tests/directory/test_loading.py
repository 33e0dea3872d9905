"""directory_load: idempotent, all-or-nothing, line-level errors; directory_export round-trips."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from blonet.audit.models import AuditEvent
from blonet.directory.models import Agency, CounterpartPair, Office, Site
from blonet.directory.services.fileformat import DirectoryFileError
from blonet.directory.services.loading import directory_export, directory_load

pytestmark = pytest.mark.django_db
SHIPPED = Path(settings.BLONET_DIRECTORY_FILE).read_text("utf-8")

VALID = """\
format: 1
countries:
  - {code: KZ, source: ISO 3166-1, precision: exact}
  - {code: KG, source: ISO 3166-1, precision: exact}
agencies:
  - {id: kz-bs, country: KZ, kind: border_service, name: Border Service, source: test, precision: exact}
  - {id: kg-bs, country: KG, kind: border_service, name: Border Service KG, source: test, precision: exact}
sites:
  - {id: kz-a, name: A, kind: bcp, country: KZ, border: [KZ, KG], lat: 43.1, lon: 74.7,
     coord_precision: approximate, source: test, precision: approximate}
  - {id: kg-b, name: B, kind: bcp, country: KG, border: [KG, KZ], lat: 43.09, lon: 74.71,
     coord_precision: approximate, source: test, precision: approximate}
offices:
  - {id: kz-a-blo, name: A BLO, kind: BLO, site: kz-a, agency: kz-bs, opened: "2019", source: test, precision: exact}
  - {id: kg-b-blo, name: B BLO, kind: BLO, site: kg-b, agency: kg-bs, open_by: "2019-12-31", source: test, precision: exact}
counterpart_pairs:
  - {offices: [kz-a-blo, kg-b-blo], source: test, precision: approximate}
"""


def counts():
    return tuple(m.objects.count() for m in (Agency, Site, Office, CounterpartPair))


def test_load_is_idempotent_and_audited():
    first = directory_load(actor=None, text=VALID)
    assert first.created == {
        "countries": 2,
        "agencies": 2,
        "sites": 2,
        "offices": 2,
        "counterpart_pairs": 1,
    }
    second = directory_load(actor=None, text=VALID)
    assert sum(second.created.values()) == 0
    assert sum(second.updated.values()) == 0
    assert counts() == (2, 2, 2, 1)
    assert AuditEvent.objects.filter(action="directory.loaded").count() == 2


def test_changed_entry_is_updated_not_duplicated():
    directory_load(actor=None, text=VALID)
    report = directory_load(actor=None, text=VALID.replace("name: A BLO", "name: A Liaison Office"))
    assert report.updated["offices"] == 1
    assert Office.objects.get(pk="kz-a-blo").name == "A Liaison Office"


def test_shipped_file_loads_twice_without_change():
    directory_load(actor=None, text=SHIPPED)
    before = counts()
    report = directory_load(actor=None, text=SHIPPED)
    assert sum(report.created.values()) + sum(report.updated.values()) == 0
    assert counts() == before


@pytest.mark.parametrize(
    ("mutation", "line", "expected"),
    [
        (("kind: BLO, site: kz-a", "kind: XYZ, site: kz-a"), 14, "“kind” is “XYZ”"),
        (("site: kg-b,", "site: nowhere,"), 15, "“site” “nowhere” is not in “sites”"),
        (("border: [KZ, KG]", "border: [KZ, QQ]"), 9, "“QQ”, which is not in “countries”"),
        (("lat: 43.1, lon", "lat: 143.1, lon"), 9, "out of range"),
        (('opened: "2019"', 'opened: "2019-13"'), 14, "“opened” must be YYYY"),
        (("- {code: KG,", "- {code: XX,"), 4, "not an ISO 3166 alpha-2 code"),
        (("id: kg-bs,", "id: kz-bs,"), 7, "duplicate id"),
    ],
)
def test_invalid_file_is_rejected_whole_with_line(mutation, line, expected):
    directory_load(actor=None, text=VALID)
    before = counts()
    with pytest.raises(DirectoryFileError) as info:
        directory_load(actor=None, text=VALID.replace(*mutation).replace("name: A BLO", "name: Z"))
    messages = [str(p) for p in info.value.problems]
    assert any(expected in m and f"line {line}" in m for m in messages), messages
    assert counts() == before
    assert Office.objects.get(pk="kz-a-blo").name == "A BLO"  # nothing half-loaded


def test_pair_must_face_across_one_border():
    bad = VALID.replace("border: [KG, KZ]", "border: [KG, CN]").replace(
        "  - {code: KG, source",
        "  - {code: CN, source: ISO 3166-1, precision: exact}\n  - {code: KG, source",
    )
    with pytest.raises(DirectoryFileError) as info:
        directory_load(actor=None, text=bad)
    assert any("face each other" in str(p) for p in info.value.problems)


def test_not_yaml_and_not_a_mapping():
    with pytest.raises(DirectoryFileError) as info:
        directory_load(actor=None, text="countries: [\n  - a: b\n")
    assert "line" in str(info.value.problems[0])
    with pytest.raises(DirectoryFileError):
        directory_load(actor=None, text="- just a list\n")


def test_unknown_field_and_missing_section():
    with pytest.raises(DirectoryFileError) as info:
        directory_load(actor=None, text=VALID.replace("name: A, kind", "nmae: A, kind"))
    messages = " ".join(str(p) for p in info.value.problems)
    assert "unknown field “nmae”" in messages and "“name” is required" in messages
    with pytest.raises(DirectoryFileError) as info:
        directory_load(actor=None, text="format: 1\ncountries: []\n")
    assert "a list named “agencies” is required" in str(info.value)


def test_export_round_trips():
    directory_load(actor=None, text=SHIPPED)
    exported = directory_export()
    assert yaml.safe_load(exported)["format"] == 1
    report = directory_load(actor=None, text=exported)
    assert sum(report.created.values()) + sum(report.updated.values()) == 0
    as_json = directory_export(as_json=True)
    report = directory_load(actor=None, text=as_json)  # JSON is read by the same loader
    assert sum(report.updated.values()) == 0
    assert yaml.safe_load(exported) == yaml.safe_load(directory_export())


def test_commands(tmp_path):
    path = tmp_path / "dir.yaml"
    path.write_text(VALID, encoding="utf-8")
    out = io.StringIO()
    call_command("directory_load", str(path), stdout=out)
    assert "offices: 2 created" in out.getvalue()
    bad = tmp_path / "bad.yaml"
    bad.write_text(VALID.replace("site: kg-b,", "site: nowhere,"), encoding="utf-8")
    err = io.StringIO()
    with pytest.raises(CommandError, match="nothing was loaded"):
        call_command("directory_load", str(bad), stderr=err)
    assert "line 15" in err.getvalue()
    target = tmp_path / "out.json"
    call_command("directory_export", "--out", str(target), stdout=io.StringIO())
    assert '"kz-a-blo"' in target.read_text("utf-8")
