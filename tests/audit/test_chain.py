"""The pure hash chain: any edit, deletion or reordering is found and named."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from blonet.audit.chain import GENESIS, ChainRow, canonical_json, link_hash, verify


def build(contents: list[dict]) -> list[ChainRow]:
    rows, prev = [], GENESIS
    for seq, content in enumerate(contents, start=1):
        content = {**content, "seq": seq}
        digest = link_hash(prev, content)
        rows.append(ChainRow(seq=seq, prev_hash=prev, hash=digest, content=content))
        prev = digest
    return rows


EVENTS = [{"action": f"a{i}", "data": {"n": i, "text": "Кордай"}} for i in range(6)]


def test_intact_chain_verifies():
    assert verify(build(EVENTS)) is None
    assert verify([]) is None


def test_edited_row_is_named():
    rows = build(EVENTS)
    rows[3] = dataclasses.replace(rows[3], content={**rows[3].content, "action": "forged"})
    broken = verify(rows)
    assert broken is not None and broken.seq == 4 and "edited" in broken.reason


def test_deleted_row_is_named():
    rows = build(EVENTS)
    del rows[2]
    broken = verify(rows)
    assert broken is not None and broken.seq == 4 and "missing" in broken.reason


def test_reordered_rows_are_found():
    rows = build(EVENTS)
    rows[1], rows[2] = rows[2], rows[1]
    broken = verify(rows)
    assert broken is not None and broken.seq == 3


def test_deleted_last_row_then_rehashed_tail_still_links():
    rows = build(EVENTS)[:-1]
    assert verify(rows) is None  # truncation at the end is caught by signed checkpoints, not here


def test_canonical_json_is_order_free():
    assert canonical_json({"b": 1, "a": [1, "ж"]}) == canonical_json({"a": [1, "ж"], "b": 1})


@given(
    st.lists(
        st.dictionaries(
            st.text(max_size=5), st.one_of(st.integers(), st.text(max_size=8)), max_size=3
        ),
        min_size=1,
        max_size=8,
    ),
    st.data(),
)
def test_any_single_change_breaks_the_chain(contents, data):
    rows = build(contents)
    i = data.draw(st.integers(min_value=0, max_value=len(rows) - 1))
    rows[i] = dataclasses.replace(rows[i], content={**rows[i].content, "tampered": True})
    broken = verify(rows)
    assert broken is not None and broken.seq == i + 1
