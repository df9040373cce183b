"""Listen and Define boards: notes, privacy, points, grouping and scores, each with its refusal."""

from __future__ import annotations

import uuid

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from sessions import live
from sessions.access import Actor, Role
from sessions.models import Note, NoteGroup, Workshop
from sessions.rules.invent import SLOT_KEYS
from sessions.selectors.room import room_view
from sessions.selectors.workspace import workspace_view
from sessions.services import boards as services
from sessions.services import groups as group_services
from sessions.services.participants import participant_join
from sessions.services.room import step_go
from tests.pushes import PushRecorder


def _at(facilitator: Actor, step: str) -> None:
    step_go(actor=facilitator, to=step)


def _note(actor: Actor, text: str, kind: str = "customer", cell: str = "customer-facts", **extra):
    return services.note_create(
        actor=actor, note_id=uuid.uuid4(), kind=kind, text=text, cell=cell, **extra
    )


def _context(workshop: Workshop, viewer=None, labels=None):
    return workspace_view(
        workshop=Workshop.objects.get(pk=workshop.pk), viewer=viewer, labels=labels or {}
    )


def _texts(workshop: Workshop, viewer=None) -> list[str]:
    context = _context(workshop, viewer)
    view = context.board
    return sorted(
        note.text
        for cell in view.cells
        for note in [*cell.loose, *(n for g in cell.groups for n in g.notes)]
    )


def test_a_participant_writes_notes_into_a_cell(facilitator: Actor, alice: Actor) -> None:
    _at(facilitator, "listen-individual")
    note = _note(alice, "予算は年 300 万円", is_assumption=True)
    assert note.board.kind == "customer" and note.cell == "customer-facts"
    assert note.is_assumption


def test_the_same_note_posted_twice_is_one_note(facilitator: Actor, alice: Actor) -> None:
    _at(facilitator, "listen-individual")
    note_id = uuid.uuid4()
    for _ in range(2):
        services.note_create(
            actor=alice, note_id=note_id, kind="customer", text="決裁は校長", cell="customer-facts"
        )
    assert Note.objects.count() == 1


def test_notes_are_written_only_in_their_steps(facilitator: Actor, alice: Actor) -> None:
    with pytest.raises(services.NoteRefused):
        _note(alice, "まだ早い")  # the welcome step
    _at(facilitator, "define-customer")
    with pytest.raises(services.NoteRefused):
        _note(alice, "もう遅い")


def test_a_note_needs_a_cell_of_its_board(facilitator: Actor, alice: Actor) -> None:
    _at(facilitator, "listen-individual")
    with pytest.raises(services.NoteRefused):
        _note(alice, "セルなし", cell="customer-influence")  # the customer has no such cell


def test_the_facilitator_and_the_projector_do_not_write_notes(
    facilitator: Actor, projector: Actor
) -> None:
    _at(facilitator, "listen-individual")
    for actor in (facilitator, projector):
        with pytest.raises(PermissionDenied):
            _note(actor, "進行役のメモ")


def test_a_participant_edits_and_deletes_only_their_own_notes(
    facilitator: Actor, alice: Actor, bob: Actor
) -> None:
    _at(facilitator, "listen-individual")
    note = _note(alice, "予算は年 300 万円")
    services.note_update(actor=alice, note_id=note.pk, text="予算は年 350 万円", is_assumption=True)
    note.refresh_from_db()
    assert (note.text, note.is_assumption) == ("予算は年 350 万円", True)
    with pytest.raises(PermissionDenied):
        services.note_update(actor=bob, note_id=note.pk, text="書き換え")
    with pytest.raises(PermissionDenied):
        services.note_delete(actor=bob, note_id=note.pk)
    services.note_delete(actor=alice, note_id=note.pk)
    assert not Note.objects.exists()


def test_one_person_cannot_flood_a_board(facilitator: Actor, alice: Actor, monkeypatch) -> None:
    monkeypatch.setattr("sessions.rules.boards.MAX_NOTES_PER_PERSON", 2)
    _at(facilitator, "listen-individual")
    _note(alice, "一")
    _note(alice, "二")
    with pytest.raises(services.NoteRefused):
        _note(alice, "三")


def test_notes_are_private_until_the_group_step(
    facilitator: Actor, alice: Actor, bob: Actor, workshop: Workshop
) -> None:
    _at(facilitator, "listen-individual")
    _note(alice, "アリスの事実")
    _note(bob, "ボブの事実")
    assert _texts(workshop, alice.participant) == ["アリスの事実"]
    assert _texts(workshop, bob.participant) == ["ボブの事実"]
    assert _texts(workshop) == []  # the projector and the facilitator: counts only
    assert alice.participant is not None and bob.participant is not None
    counts = _context(workshop, None, {alice.participant.pk: "アリス", bob.participant.pk: "ボブ"})
    assert counts.board.counts == [("アリス", 1), ("ボブ", 1)]
    _at(facilitator, "listen-group")
    assert _texts(workshop) == ["アリスの事実", "ボブの事実"]


def test_the_counts_of_private_notes_name_people_in_the_order_they_joined(
    facilitator: Actor, workshop: Workshop
) -> None:
    """Not in the order of their names' characters: 渡辺 (U+6E21) sorts before 青木 (U+9752)."""
    aoki, watanabe = (
        Actor(workshop, Role.PARTICIPANT, participant_join(workshop=workshop, display_name=name))
        for name in ("青木 陽菜", "渡辺 蓮")
    )
    _at(facilitator, "listen-individual")
    _note(watanabe, "渡辺の事実")
    _note(aoki, "青木の事実")
    _note(aoki, "青木のもう一つの事実")
    view = room_view(workshop=Workshop.objects.get(pk=workshop.pk), role=Role.PROJECTOR)
    assert view.workspace_view is not None and view.workspace_view.board is not None
    assert view.workspace_view.board.counts == [("青木 陽菜", 2), ("渡辺 蓮", 1)]


def test_the_facilitator_can_reveal_early_and_only_the_facilitator(
    facilitator: Actor, alice: Actor, workshop: Workshop
) -> None:
    _at(facilitator, "listen-individual")
    _note(alice, "アリスの事実")
    with pytest.raises(PermissionDenied):
        services.boards_reveal(actor=alice, kinds=("customer",))
    services.boards_reveal(actor=facilitator, kinds=("customer",))
    assert _texts(workshop) == ["アリスの事実"]


def _problem(actor: Actor, text: str, kind: str = "customer_problems"):
    if kind == "customer_problems":
        return _note(actor, text, kind=kind, cell="", influence="業務効率", situation="繁忙期")
    return _note(actor, text, kind=kind, cell="awareness")


def _points(*notes: Note) -> list[int | None]:
    return [Note.objects.get(pk=note.pk).points for note in notes]


def test_points_are_three_two_one_each_once_per_side(facilitator: Actor, alice: Actor) -> None:
    _at(facilitator, "define-customer")
    first, second = _problem(alice, "入力が遅い"), _problem(alice, "検索できない")
    services.note_set_points(actor=alice, note_id=first.pk, points=3)
    with pytest.raises(services.NoteRefused):
        services.note_set_points(actor=alice, note_id=second.pk, points=4)
    services.note_set_points(actor=alice, note_id=first.pk, points=None)
    services.note_set_points(actor=alice, note_id=second.pk, points=3)
    assert _points(first, second) == [None, 3]
    _at(facilitator, "define-business")
    business = _problem(alice, "価格が高い", kind="business_problems")
    services.note_set_points(actor=alice, note_id=business.pk, points=3)  # the other side: fine


def test_a_three_given_to_another_note_moves_there(
    facilitator: Actor,
    alice: Actor,
    bob: Actor,
    workshop: Workshop,
    django_capture_on_commit_callbacks,
) -> None:
    """Each value once per person and side: giving it again moves it, as a person moves a
    sticker (issue 12: it was refused). Someone else's 3 stays where it is."""
    _at(facilitator, "define-customer")
    first, second = _problem(alice, "入力が遅い"), _problem(alice, "検索できない")
    bobs = _problem(bob, "承認が遅い")
    services.note_set_points(actor=alice, note_id=first.pk, points=3)
    services.note_set_points(actor=bob, note_id=bobs.pk, points=3)
    assert alice.participant is not None
    layer = get_channel_layer()
    channel = async_to_sync(layer.new_channel)()
    async_to_sync(layer.group_add)(
        live.participant_group(workshop.pk, alice.participant.pk), channel
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.note_set_points(actor=alice, note_id=second.pk, points=3)
    assert _points(first, second, bobs) == [None, 3, 3]
    # One push to her own screen (the board is private) redraws both of her notes.
    [push] = PushRecorder.drain_channel(channel)
    assert f'id="note-{first.pk}"' in push["html"] and f'id="note-{second.pk}"' in push["html"]
    services.note_set_points(actor=alice, note_id=first.pk, points=2)
    assert _points(first, second) == [2, 3]


def test_the_database_itself_refuses_a_second_three(facilitator: Actor, alice: Actor) -> None:
    _at(facilitator, "define-customer")
    first, second = _problem(alice, "一"), _problem(alice, "二")
    Note.objects.filter(pk=first.pk).update(points=3)
    with pytest.raises(IntegrityError), transaction.atomic():
        Note.objects.filter(pk=second.pk).update(points=3)


def test_points_are_for_the_author_only(facilitator: Actor, alice: Actor, bob: Actor) -> None:
    _at(facilitator, "define-customer")
    note = _problem(alice, "入力が遅い")
    with pytest.raises(PermissionDenied):
        services.note_set_points(actor=bob, note_id=note.pk, points=3)


def test_a_customer_problem_keeps_its_three_parts(facilitator: Actor, alice: Actor) -> None:
    _at(facilitator, "define-customer")
    note = _problem(alice, "入力が間に合わない")
    assert (note.influence, note.situation, note.text) == (
        "業務効率",
        "繁忙期",
        "入力が間に合わない",
    )


def test_every_part_of_a_customer_problem_is_edited_from_its_note(
    facilitator: Actor, alice: Actor, alice_client: Client, workshop: Workshop
) -> None:
    """The note's editor sends all three parts, and all three are saved (issue 12: only the
    problem itself was); a part sent empty stays as it was, and a note of another board has
    one part only."""
    _at(facilitator, "define-customer")
    note = _problem(alice, "入力が間に合わない")
    url = reverse("note_update", args=[workshop.join_code, note.pk])
    edit = {"text": "入力が追いつかない", "influence": "残業が増える", "situation": "月末"}
    assert alice_client.post(url, edit, HTTP_HX_REQUEST="true").status_code == 204
    note.refresh_from_db()
    assert (note.influence, note.situation, note.text) == (
        "残業が増える",
        "月末",
        "入力が追いつかない",
    )
    alice_client.post(url, {**edit, "situation": ""}, HTTP_HX_REQUEST="true")
    note.refresh_from_db()
    assert note.situation == "月末"
    _at(facilitator, "define-business")
    business = _problem(alice, "価格が高い", kind="business_problems")
    url = reverse("note_update", args=[workshop.join_code, business.pk])
    alice_client.post(url, {"text": "価格が高すぎる", "influence": "x"}, HTTP_HX_REQUEST="true")
    business.refresh_from_db()
    assert (business.text, business.influence) == ("価格が高すぎる", "")


@pytest.fixture
def grouping(facilitator: Actor, alice: Actor, bob: Actor) -> dict[str, Note]:
    _at(facilitator, "define-customer")
    notes = {name: _problem(alice, name) for name in ("遅い", "重い", "高い")}
    services.note_set_points(actor=alice, note_id=notes["遅い"].pk, points=3)
    services.note_set_points(actor=alice, note_id=notes["重い"].pk, points=2)
    services.note_set_points(actor=alice, note_id=notes["高い"].pk, points=1)
    _at(facilitator, "define-grouping")
    return notes


def test_only_the_owner_or_the_facilitator_groups(
    grouping: dict[str, Note], facilitator: Actor, alice: Actor, bob: Actor
) -> None:
    with pytest.raises(PermissionDenied):
        group_services.note_move(actor=bob, note_id=grouping["遅い"].pk, new_group=True)
    assert bob.participant is not None
    services.board_set_owner(
        actor=facilitator, kind="customer_problems", participant_id=bob.participant.pk
    )
    with pytest.raises(PermissionDenied):
        services.board_set_owner(actor=bob, kind="customer_problems", participant_id=None)
    group_services.note_move(actor=bob, note_id=grouping["遅い"].pk, onto_note=grouping["重い"].pk)
    group = NoteGroup.objects.get()
    assert set(group.notes.values_list("text", flat=True)) == {"遅い", "重い"}


def test_grouping_happens_in_the_group_step(facilitator: Actor, alice: Actor) -> None:
    _at(facilitator, "define-customer")
    note = _problem(alice, "遅い")
    with pytest.raises(services.NoteRefused):
        group_services.note_move(actor=facilitator, note_id=note.pk, new_group=True)


def test_moving_notes_in_and_out_and_empty_groups_vanish(
    grouping: dict[str, Note], facilitator: Actor
) -> None:
    slow, heavy, pricey = grouping["遅い"], grouping["重い"], grouping["高い"]
    group_services.note_move(actor=facilitator, note_id=slow.pk, new_group=True)
    group = NoteGroup.objects.get()
    group_services.note_move(actor=facilitator, note_id=heavy.pk, to_group=group.pk)
    group_services.note_move(actor=facilitator, note_id=pricey.pk, onto_note=slow.pk)
    assert group.notes.count() == 3
    for note in (slow, heavy, pricey):
        group_services.note_move(actor=facilitator, note_id=note.pk)
    assert not NoteGroup.objects.exists()


def test_two_moves_of_one_note_end_in_one_state(
    grouping: dict[str, Note], facilitator: Actor
) -> None:
    slow = grouping["遅い"]
    group_services.note_move(actor=facilitator, note_id=slow.pk, new_group=True)
    first = NoteGroup.objects.get()
    group_services.note_move(actor=facilitator, note_id=grouping["重い"].pk, new_group=True)
    second = NoteGroup.objects.exclude(pk=first.pk).get()
    # Two people drag the same note at once: the writes queue; the later one wins.
    group_services.note_move(actor=facilitator, note_id=slow.pk, to_group=second.pk)
    with pytest.raises(services.NoteRefused):
        group_services.note_move(actor=facilitator, note_id=slow.pk, to_group=first.pk)  # gone
    slow.refresh_from_db()
    assert slow.group_id == second.pk


def test_scores_are_proposed_from_totals_and_can_be_changed(
    grouping: dict[str, Note], facilitator: Actor, workshop: Workshop
) -> None:
    for name in grouping:
        group_services.note_move(actor=facilitator, note_id=grouping[name].pk, new_group=True)
    group_services.groups_apply_proposals(actor=facilitator, kind="customer_problems")
    by_text = {g.notes.get().text: g for g in NoteGroup.objects.all()}
    assert {text: group.score for text, group in by_text.items()} == {
        "遅い": 8,
        "重い": 5,
        "高い": 3,
    }
    group_services.group_score(actor=facilitator, group_id=by_text["高い"].pk, score=1)
    with pytest.raises(services.NoteRefused):
        group_services.group_score(actor=facilitator, group_id=by_text["高い"].pk, score=4)
    context = _context(workshop, None, {})
    [customer, _business] = context.yardstick
    scored = customer.scored
    assert [(v.group.score, v.total) for v in scored] == [(8, 3), (5, 2), (1, 1)]


def test_applying_the_proposals_leaves_a_tie_to_the_sides_owner(
    facilitator: Actor, alice: Actor, bob: Actor, workshop: Workshop
) -> None:
    """Two groups on 3 points each: the proposal (8 for both) is not written; the owner is
    asked to choose (issue 12: both got 8, with no prompt)."""
    _at(facilitator, "define-customer")
    alices, bobs, third = _problem(alice, "遅い"), _problem(bob, "重い"), _problem(alice, "高い")
    services.note_set_points(actor=alice, note_id=alices.pk, points=3)
    services.note_set_points(actor=bob, note_id=bobs.pk, points=3)
    services.note_set_points(actor=alice, note_id=third.pk, points=1)
    _at(facilitator, "define-grouping")
    for note in (alices, bobs, third):
        group_services.note_move(actor=facilitator, note_id=note.pk, new_group=True)
    group_services.groups_apply_proposals(actor=facilitator, kind="customer_problems")
    by_text = {g.notes.get().text: g for g in NoteGroup.objects.all()}
    assert {text: group.score for text, group in by_text.items()} == {
        "遅い": None,
        "重い": None,
        "高い": 3,
    }
    board = _context(workshop, None, {}).boards["customer_problems"]
    assert {view.group.pk for view in board.ties_to_decide} == {
        by_text["遅い"].pk,
        by_text["重い"].pk,
    }
    group_services.group_score(actor=facilitator, group_id=by_text["遅い"].pk, score=8)
    group_services.group_score(actor=facilitator, group_id=by_text["重い"].pk, score=5)
    assert _context(workshop, None, {}).boards["customer_problems"].ties_to_decide == []


def test_the_listen_signal_flags_a_thin_board(
    facilitator: Actor, alice: Actor, workshop: Workshop
) -> None:
    _at(facilitator, "listen-group")
    for n in range(9):
        _note(alice, f"事実 {n}", is_assumption=n < 5)
    view = _context(workshop, None, {}).board
    assert (view.note_count, view.assumption_count) == (9, 5)
    assert view.needs_another_look  # more than half are assumptions
    Note.objects.filter(board__workshop=workshop).update(is_assumption=False)
    assert not _context(workshop, None, {}).board.needs_another_look


def test_anyone_but_the_projector_writes_the_persona(
    facilitator: Actor, alice: Actor, projector: Actor, workshop: Workshop
) -> None:
    services.persona_update(actor=alice, name="田中さん", description="情報システム担当")
    services.persona_update(actor=facilitator, name="田中 一郎さん", description="情報システム担当")
    with pytest.raises(PermissionDenied):
        services.persona_update(actor=projector, name="x", description="y")
    assert workshop.persona.name == "田中 一郎さん"


def test_points_are_not_changed_during_the_grouping(
    grouping: dict[str, Note], alice: Actor
) -> None:
    with pytest.raises(services.NoteRefused):
        services.note_set_points(actor=alice, note_id=grouping["高い"].pk, points=None)


def test_customer_board_groups_get_no_scores(facilitator: Actor, alice: Actor) -> None:
    _at(facilitator, "listen-group")
    note = _note(alice, "予算")
    group_services.note_move(actor=facilitator, note_id=note.pk, new_group=True)
    with pytest.raises(services.NoteRefused):
        group_services.groups_apply_proposals(actor=facilitator, kind="customer")
    assert NoteGroup.objects.get().score is None


def test_the_evaluation_table_is_frozen_once_ideas_are_marked(
    grouping: dict[str, Note], facilitator: Actor, alice: Actor
) -> None:
    from sessions.services import invent as invent_services

    for name in grouping:
        group_services.note_move(actor=facilitator, note_id=grouping[name].pk, new_group=True)
    group_services.groups_apply_proposals(actor=facilitator, kind="customer_problems")
    group = NoteGroup.objects.get(notes__text="遅い")
    _at(facilitator, "invent-share")
    idea = invent_services.idea_save(
        actor=alice, idea_id=uuid.uuid4(), slots=dict.fromkeys(SLOT_KEYS, "案")
    )
    invent_services.idea_share(actor=alice, idea_id=idea.pk)
    invent_services.mark_set(actor=alice, idea_id=idea.pk, group_id=group.pk, value="solves")
    _at(facilitator, "define-grouping")  # back, to change the yardstick under the marks
    with pytest.raises(services.NoteRefused):
        group_services.group_score(actor=facilitator, group_id=group.pk, score=1)
    with pytest.raises(services.NoteRefused):
        group_services.note_move(actor=facilitator, note_id=grouping["遅い"].pk)
    assert NoteGroup.objects.get(pk=group.pk).score == 8
