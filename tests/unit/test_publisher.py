"""One publisher per workshop: a burst leaves as one push per audience, in sequence order
(issue 11). The batching rules are pure; the publisher is driven on the test's event loop with
its render replaced by a recorder."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from sessions.live import batches, publisher
from sessions.live.batches import GroupChange, NoteChange, Pending, coalesce
from sessions.rules.steps import Part

NOTE = uuid.uuid4()


def _note(
    created: bool = False, moved: bool = False, groups: frozenset[uuid.UUID] = frozenset()
) -> NoteChange:
    return NoteChange(NOTE, "customer", author_id=7, created=created, moved=moved, groups=groups)


class TestCoalesce:
    def test_a_run_of_events_is_one_batch_from_its_first_to_its_last_sequence_number(self) -> None:
        batch = coalesce(
            [
                Pending(seq=12, parts=(Part.TIMER,)),
                Pending(seq=11, parts=(Part.PARTICIPANTS, Part.AGENDA)),
                Pending(seq=13, parts=(Part.TIMER,)),
            ]
        )
        assert (batch.first_seq, batch.seq) == (11, 13)
        assert batch.parts == (Part.AGENDA, Part.TIMER, Part.PARTICIPANTS)  # in Part's order

    def test_whose_private_view_changed_adds_up_and_everyone_wins(self) -> None:
        assert coalesce(
            [Pending(seq=1, personal_to=frozenset({1})), Pending(seq=2, personal_to=frozenset({2}))]
        ).personal_to == frozenset({1, 2})
        assert (
            coalesce(
                [Pending(seq=1, personal_to=frozenset({1})), Pending(seq=2, personal_to="all")]
            ).personal_to
            == batches.ALL_PARTICIPANTS
        )

    def test_a_note_made_and_then_edited_in_one_batch_is_still_made_once(self) -> None:
        made = Pending(seq=1, notes=(_note(created=True),))
        batch = coalesce([made, Pending(seq=2, notes=(_note(),))])
        assert batch.notes == {"customer": (_note(created=True),)}

    def test_a_note_moved_twice_is_moved_once_and_changes_every_group_it_passed(self) -> None:
        first, second, third = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
        moves = [
            Pending(seq=1, notes=(_note(moved=True, groups=frozenset({first, second})),)),
            Pending(seq=2, notes=(_note(moved=True, groups=frozenset({second, third})),)),
        ]
        [change] = coalesce(moves).notes["customer"]
        assert change.moved and not change.created
        assert change.groups == {first, second, third}

    def test_a_group_made_and_dropped_in_one_batch_is_not_drawn(self) -> None:
        made, kept = uuid.uuid4(), uuid.uuid4()
        batch = coalesce(
            [
                Pending(seq=1, groups=(GroupChange(made, "customer", created=True),)),
                Pending(seq=2, groups=(GroupChange(kept, "customer", created=True),)),
                Pending(seq=3, groups=(GroupChange(kept, "customer"),)),  # renamed
                Pending(seq=4, groups=(GroupChange(made, "customer", dropped=True),)),
            ]
        )
        assert batch.groups == {"customer": (GroupChange(kept, "customer", created=True),)}
        whole = coalesce(
            [Pending(seq=1, groups=batch.groups["customer"]), Pending(seq=2, parts=(Part.BOARD,))]
        )
        assert whole.groups == {}

    def test_a_board_drawn_whole_takes_in_its_note_changes_and_their_authors(self) -> None:
        batch = coalesce([Pending(seq=1, notes=(_note(),)), Pending(seq=2, parts=(Part.BOARD,))])
        assert batch.notes == {}
        assert batch.parts == (Part.BOARD,)
        assert batch.personal_to == frozenset({7})  # the author's private board is redrawn

    def test_a_step_change_draws_the_workspace_and_no_board_besides(self) -> None:
        edited, step = Pending(seq=1, notes=(_note(),)), Pending(seq=2, parts=(Part.WORKSPACE,))
        batch = coalesce([edited, step])
        assert batch.parts == (Part.WORKSPACE,)

    def test_presence_is_drawn_row_by_row_unless_the_list_is_drawn_whole(self) -> None:
        online = [Pending(seq=1, presence=(4,)), Pending(seq=2, presence=(5, 4))]
        assert coalesce(online).presence == (4, 5)
        joined = Pending(seq=3, parts=(Part.PARTICIPANTS, Part.WORKSPACE))
        assert coalesce([*online, joined]).presence == ()

    def test_plan_cells_are_drawn_one_by_one_unless_the_plan_is_drawn_whole(self) -> None:
        saved = [
            Pending(seq=1, plan_cells=(("customer", "who"),)),
            Pending(seq=2, plan_cells=(("model", "how"), ("customer", "who"))),
        ]
        assert coalesce(saved).plan_cells == (("customer", "who"), ("model", "how"))
        step = Pending(seq=3, parts=(Part.WORKSPACE,))
        assert coalesce([*saved, step]).plan_cells == ()

    def test_private_parts_are_merged_in_the_order_of_the_room(self) -> None:
        marked = Pending(seq=1, parts=(Part.PROGRESS,), private_parts=(Part.WORKSPACE,))
        voted = Pending(seq=2, private_parts=(Part.BOARD, Part.WORKSPACE))
        batch = coalesce([voted, marked])
        assert batch.parts == (Part.PROGRESS,)
        assert batch.private_parts == (Part.WORKSPACE, Part.BOARD)


@pytest.fixture
def rendered(monkeypatch: pytest.MonkeyPatch, transactional_db: None) -> list[batches.Batch]:
    """The batches the publisher renders, in order; each sends nothing. (Rendering runs where
    database work runs, which looks at the database connection first.)"""
    seen: list[batches.Batch] = []

    def render(workshop_id: int, batch: batches.Batch) -> list[Any]:
        seen.append(batch)
        return []

    monkeypatch.setattr(publisher, "_render", render)
    return seen


async def test_a_burst_handed_over_out_of_order_leaves_as_one_batch(
    rendered: list[batches.Batch],
) -> None:
    for seq in (3, 1, 2):  # three writes committed at once, handed over as threads ran
        publisher._enqueue(workshop_id=1, event=Pending(seq=seq, parts=(Part.BOARD,)))
    await publisher.settled()
    assert [(batch.first_seq, batch.seq) for batch in rendered] == [(1, 3)]


async def test_batches_leave_one_after_another_and_each_workshop_has_its_own(
    rendered: list[batches.Batch],
) -> None:
    publisher._enqueue(workshop_id=1, event=Pending(seq=1, parts=(Part.TIMER,)))
    publisher._enqueue(workshop_id=2, event=Pending(seq=9, parts=(Part.TIMER,)))
    await publisher.settled()
    publisher._enqueue(workshop_id=1, event=Pending(seq=2, parts=(Part.TIMER,)))
    await publisher.settled()
    assert sorted((batch.first_seq, batch.seq) for batch in rendered) == [(1, 1), (2, 2), (9, 9)]
    assert [batch.seq for batch in rendered if batch.seq < 9] == [1, 2]


async def test_a_batch_that_starts_past_a_gap_waits_for_what_is_missing(
    rendered: list[batches.Batch], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Seq 6 was committed before 7 but is handed over later (its thread ran late): 7 waits for
    it a moment, so that the pages see 6 and 7 together instead of a gap."""
    monkeypatch.setattr(publisher, "COALESCE_SECONDS", 0.0)
    monkeypatch.setattr(publisher, "HOLD_FOR_MISSING_SECONDS", 5.0)
    publisher._enqueue(workshop_id=1, event=Pending(seq=5, parts=(Part.TIMER,)))
    await publisher.settled()
    publisher._enqueue(workshop_id=1, event=Pending(seq=7, parts=(Part.TIMER,)))
    await asyncio.sleep(0)  # the publisher takes 7 and starts waiting
    publisher._enqueue(workshop_id=1, event=Pending(seq=6, parts=(Part.TIMER,)))
    await publisher.settled()
    assert [(batch.first_seq, batch.seq) for batch in rendered] == [(5, 5), (6, 7)]


async def test_a_batch_that_fails_is_logged_and_the_next_ones_still_leave(
    rendered: list[batches.Batch], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def render(workshop_id: int, batch: batches.Batch) -> list[Any]:
        rendered.append(batch)
        if batch.seq == 1:
            raise RuntimeError("the layer went away")
        return []

    monkeypatch.setattr(publisher, "_render", render)
    publisher._enqueue(workshop_id=1, event=Pending(seq=1, parts=(Part.TIMER,)))
    await publisher.settled()
    publisher._enqueue(workshop_id=1, event=Pending(seq=2, parts=(Part.TIMER,)))
    await publisher.settled()
    assert [batch.seq for batch in rendered] == [1, 2]
    assert "publishing events [1] failed" in caplog.text
