"""A note's change is pushed as that note alone: its cost in bytes and queries does not grow with
the board, and no one's controls travel in it (issue 11)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from functools import partial
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sessions import live
from sessions.access import Actor, Role
from sessions.models import Board, Note, NoteGroup, Participant, Workshop
from sessions.services import boards as board_services
from sessions.services import groups as group_services
from sessions.services.participants import participant_join
from sessions.services.room import step_go
from tests.pushes import PushRecorder

CELL = "customer-facts"
NOTE_IDS = re.compile(r'id="note-([0-9a-f-]{36})"')


def _fill(workshop: Workshop, kind: str, count: int) -> Board:
    """``count`` notes on the board, written by ten others in turn (loose, in one cell)."""
    board, _ = Board.objects.get_or_create(workshop=workshop, kind=kind)
    authors = [participant_join(workshop=workshop, display_name=f"同僚 {n}") for n in range(10)]
    Note.objects.bulk_create(
        Note(
            id=uuid.uuid4(),
            board=board,
            author=authors[n % len(authors)],
            cell=CELL if kind == "customer" else "",
            text=f"既存のポストイット {n} 番",
        )
        for n in range(count)
    )
    return board


def _subscribe(workshop: Workshop, participant: Participant) -> str:
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(live.participant_group(workshop.pk, participant.pk), channel)
    return channel


def _drain(channel: str) -> list[str]:
    return [message["html"] for message in PushRecorder.drain_channel(channel)]


def _post(alice: Actor, text: str = "請求書の確認に毎月3日かかる") -> Note:
    return board_services.note_create(
        actor=alice, note_id=uuid.uuid4(), kind="customer", text=text, cell=CELL
    )


def _published(write: Callable[[], Any], capture: Any) -> tuple[Any, int]:
    """Do ``write``, then run its pushes: what it returned, and the queries the pushes made."""
    with capture(execute=False) as callbacks:
        result = write()
    with CaptureQueriesContext(connection) as queries:
        for callback in callbacks:
            callback()
    return result, len(queries)


@pytest.fixture
def revealed(workshop: Workshop, facilitator: Actor) -> Workshop:
    step_go(actor=facilitator, to="listen-group")  # the group step reveals the customer board
    return Workshop.objects.get(pk=workshop.pk)


@pytest.mark.parametrize("board_size", [10, 200])
def test_a_new_note_on_a_revealed_board_is_pushed_alone(
    revealed: Workshop,
    alice: Actor,
    alice_participant: Participant,
    bob_participant: Participant,
    pushes: PushRecorder,
    django_capture_on_commit_callbacks: Any,
    board_size: int,
) -> None:
    _fill(revealed, "customer", board_size)
    note, _queries = _published(lambda: _post(alice), django_capture_on_commit_callbacks)
    for role in live.AUDIENCES:
        [push] = pushes.received(role)
        html = push["html"]
        assert NOTE_IDS.findall(html) == [str(note.pk)], role  # this note, once, and no other
        assert f'hx-swap-oob="beforeend:#loose-customer-{CELL}"' in html, role
        assert "請求書の確認に毎月3日かかる" in html
        assert "<form" not in html, role  # no one's controls: the page holds them
        assert f"ポストイット {board_size + 1} 枚、うち仮定 0 枚。" in html  # the Listen signal
        assert len(html.encode()) < 4096, (role, len(html.encode()))


def test_the_push_of_a_note_costs_the_same_queries_and_bytes_at_10_and_at_200_notes(
    revealed: Workshop,
    alice: Actor,
    alice_participant: Participant,
    bob_participant: Participant,
    pushes: PushRecorder,
    django_capture_on_commit_callbacks: Any,
    django_assert_max_num_queries: Any,
) -> None:
    measured = []
    for size in (10, 200):
        Note.objects.filter(board__workshop=revealed).delete()
        _fill(revealed, "customer", size)
        _note, queries = _published(
            lambda: _post(alice, "同じ長さの文章です"), django_capture_on_commit_callbacks
        )
        sizes = [len(pushes.received(role)[0]["html"]) for role in live.AUDIENCES]
        measured.append((queries, sizes))
    (small_queries, small_sizes), (large_queries, large_sizes) = measured
    assert large_queries == small_queries
    # The signal's count has one more digit at 200 notes: a byte or two, not a board.
    assert all(abs(a - b) <= 4 for a, b in zip(small_sizes, large_sizes, strict=True))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        _post(alice, "もう一枚")
    with django_assert_max_num_queries(small_queries):
        for callback in callbacks:
            callback()


def test_an_edit_redraws_the_note_in_its_place_and_a_delete_removes_it(
    revealed: Workshop,
    alice: Actor,
    pushes: PushRecorder,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        note = _post(alice)
    pushes.received(Role.PARTICIPANT)
    with django_capture_on_commit_callbacks(execute=True):
        board_services.note_update(actor=alice, note_id=note.pk, is_assumption=True)
    [edited] = pushes.received(Role.PARTICIPANT)
    assert f'id="note-{note.pk}"' in edited["html"]
    assert re.search(r'<article[^>]*data-assumption="true"[^>]*hx-swap-oob="true"', edited["html"])
    assert "beforeend" not in edited["html"]
    with django_capture_on_commit_callbacks(execute=True):
        board_services.note_delete(actor=alice, note_id=note.pk)
    [deleted] = pushes.received(Role.PARTICIPANT)
    assert f'<div id="note-{note.pk}" hx-swap-oob="delete" data-gone></div>' in deleted["html"]
    assert "請求書" not in deleted["html"]


def test_a_private_note_is_pushed_to_its_author_alone_and_counted_for_everyone(
    workshop: Workshop,
    facilitator: Actor,
    alice: Actor,
    alice_participant: Participant,
    bob_participant: Participant,
    pushes: PushRecorder,
    django_capture_on_commit_callbacks: Any,
) -> None:
    step_go(actor=facilitator, to="listen-individual")
    _fill(workshop, "customer", 200)
    channels = {
        person.pk: _subscribe(workshop, person) for person in (alice_participant, bob_participant)
    }
    with django_capture_on_commit_callbacks(execute=True):
        note = _post(alice, "まだ秘密の事実")
    [mine] = _drain(channels[alice_participant.pk])
    assert mine.startswith('<div id="live-seq-private"')
    assert NOTE_IDS.findall(mine) == [str(note.pk)]  # her new note, not her other 100
    assert len(mine.encode()) < 4096
    assert _drain(channels[bob_participant.pk]) == []
    for role in live.AUDIENCES:
        [push] = pushes.received(role)
        assert "まだ秘密の事実" not in push["html"]
        assert 'id="note-counts-customer"' in push["html"]
        assert NOTE_IDS.findall(push["html"]) == [], (role, push["html"])
        assert re.search(r"有栖 アリス</bdi> <strong>1</strong>", push["html"])  # her count


def _ordered(board: Board) -> list[Note]:
    return list(Note.objects.filter(board=board).order_by("created_at"))


def _group_every_tenth(facilitator: Actor, notes: list[Note]) -> list[NoteGroup]:
    """A group of note n and note n + 5 for every tenth note: a board with groups to spare."""
    for n in range(0, len(notes) - 5, 10):
        group_services.note_move(actor=facilitator, note_id=notes[n + 5].pk, onto_note=notes[n].pk)
    return list(NoteGroup.objects.filter(board=notes[0].board).order_by("created_at"))


def test_a_move_costs_the_same_queries_and_bytes_at_10_and_at_200_notes(
    revealed: Workshop,
    facilitator: Actor,
    pushes: PushRecorder,
    django_capture_on_commit_callbacks: Any,
) -> None:
    measured = []
    for size in (10, 200):
        Note.objects.filter(board__workshop=revealed).delete()
        NoteGroup.objects.filter(board__workshop=revealed).delete()
        notes = _ordered(_fill(revealed, "customer", size))
        first_group = _group_every_tenth(facilitator, notes)[0]
        moved = notes[1]
        _note, queries = _published(
            partial(
                group_services.note_move,
                actor=facilitator,
                note_id=moved.pk,
                to_group=first_group.pk,
            ),
            django_capture_on_commit_callbacks,
        )
        sizes = []
        for role in live.AUDIENCES:
            [push] = pushes.received(role)
            html = push["html"]
            assert 'id="board-customer"' not in html, role  # not the board
            assert NOTE_IDS.findall(html) == [str(moved.pk)], role  # this note alone
            # A slot where it now belongs (written between the group's two notes), then the
            # note, then its group's head, which counts it.
            assert f'hx-swap-oob="beforebegin:#note-{notes[5].pk}"' in html, role
            assert f'data-slot-for="{moved.pk}"' in html
            assert html.index("data-slot-for") < html.index(f'id="note-{moved.pk}"')
            assert f'id="group-head-{first_group.pk}"' in html and "3 枚" in html
            assert "<form" not in html, role
            sizes.append(len(html.encode()))
        measured.append((queries, sizes))
    (small_queries, small_sizes), (large_queries, large_sizes) = measured
    assert large_queries == small_queries
    # Counts and sequence numbers have a digit more: bytes, not a board.
    assert all(abs(a - b) <= 8 for a, b in zip(small_sizes, large_sizes, strict=True))
    assert max(large_sizes) < 4096


def test_a_move_onto_a_note_adds_the_group_and_the_last_move_out_removes_it(
    revealed: Workshop,
    facilitator: Actor,
    pushes: PushRecorder,
    django_capture_on_commit_callbacks: Any,
) -> None:
    first, second, _third = _ordered(_fill(revealed, "customer", 3))
    with django_capture_on_commit_callbacks(execute=True):
        group_services.note_move(actor=facilitator, note_id=second.pk, onto_note=first.pk)
    group = NoteGroup.objects.get()
    [push] = pushes.received(Role.PROJECTOR)
    html = push["html"]
    assert 'id="board-customer"' not in html
    # The group comes first, empty, after the cell's other groups; then both notes move in.
    made = html.index(f'hx-swap-oob="beforebegin:#loose-customer-{CELL}"')
    assert html.index(f'id="group-{group.pk}"') > made
    assert html.count(f'hx-swap-oob="beforeend:#group-notes-{group.pk}"') == 2
    assert html.index(f'data-slot-for="{first.pk}"') < html.index(f'data-slot-for="{second.pk}"')
    assert sorted(NOTE_IDS.findall(html)) == sorted([str(first.pk), str(second.pk)])

    with django_capture_on_commit_callbacks(execute=True):
        group_services.note_move(actor=facilitator, note_id=first.pk)  # out: the group keeps one
    pushes.received(Role.PROJECTOR)
    with django_capture_on_commit_callbacks(execute=True):
        group_services.note_move(actor=facilitator, note_id=second.pk)  # the last one out
    [push] = pushes.received(Role.PROJECTOR)
    html = push["html"]
    assert not NoteGroup.objects.exists()
    # Back among the cell's loose notes, in the order written (before the third), and the
    # group removed once its last note has left it.
    assert f'hx-swap-oob="beforebegin:#note-{_third.pk}"' in html
    gone = html.index(f'<div id="group-{group.pk}" hx-swap-oob="delete"')
    assert gone > html.index(f'id="note-{second.pk}"')


def test_define_pushes_a_groups_head_and_the_scores_not_the_board(
    workshop: Workshop,
    facilitator: Actor,
    pushes: PushRecorder,
    django_capture_on_commit_callbacks: Any,
) -> None:
    """A grouped problem's points move its group's total (the head) and, while grouping, the
    side's scores and the evaluation table: the board itself stays as it is."""
    step_go(actor=facilitator, to="define-grouping")
    board = _fill(workshop, "customer_problems", 3)
    first, second, _third = _ordered(board)
    group_services.note_move(actor=facilitator, note_id=first.pk, onto_note=second.pk)
    group = NoteGroup.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        group_services.group_score(actor=facilitator, group_id=group.pk, score=8)
    for role in live.AUDIENCES:
        [push] = pushes.received(role)
        html = push["html"]
        assert 'id="board-customer_problems"' not in html
        assert 'id="scores-customer_problems"' in html and 'id="yardstick"' in html
        assert NOTE_IDS.findall(html) == []
    step_go(actor=facilitator, to="define-customer")  # the board is written to again
    with django_capture_on_commit_callbacks(execute=True):
        author = Actor(workshop, Role.PARTICIPANT, first.author)
        board_services.note_set_points(actor=author, note_id=first.pk, points=3)
    [push] = pushes.received(Role.PROJECTOR)
    html = push["html"]
    assert 'id="board-customer_problems"' not in html
    assert NOTE_IDS.findall(html) == [str(first.pk)]
    assert f'id="group-head-{group.pk}"' in html and "3 点" in html
    assert 'id="scores-customer_problems"' not in html  # this step does not show them


def test_a_snapshot_reads_the_same_queries_at_10_and_at_200_notes(
    revealed: Workshop, alice_participant: Participant
) -> None:
    """The whole room, drawn for a socket that connects or missed a push: one query set per
    audience, not one per note."""
    counted = []
    for size in (10, 200):
        Note.objects.filter(board__workshop=revealed).delete()
        _fill(revealed, "customer", size)
        workshop = Workshop.objects.get(pk=revealed.pk)
        with CaptureQueriesContext(connection) as queries:
            for role in live.AUDIENCES:
                html = live.snapshot(workshop, role)
                assert len(NOTE_IDS.findall(html)) == size
            live.snapshot(workshop, Role.PARTICIPANT, alice_participant)
        counted.append(len(queries))
    assert counted[0] == counted[1]
