"""Invent: ideas, the stage, private marks, the reveal, tie-breaks and the override."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from uuid import UUID

import pytest
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.utils import timezone, translation

from sessions.access import Actor, Role
from sessions.models import Idea, Invent, Mark, Note, NoteGroup, Workshop
from sessions.selectors.invent import IdeaView, invent_view
from sessions.selectors.room import room_view
from sessions.selectors.shapes import names_of
from sessions.services import boards as board_services
from sessions.services import groups as group_services
from sessions.services import invent as services
from sessions.services.events import InvalidAction
from sessions.services.room import step_go
from tests.ideas import SLOTS


def _idea(actor: Actor, capability: str) -> Idea:
    return services.idea_save(
        actor=actor, idea_id=uuid.uuid4(), slots={**SLOTS, "capability": capability}
    )


def _pks(ideas: Iterable[IdeaView | None]) -> list[UUID | None]:
    return [idea.pk if idea else None for idea in ideas]


def _context(workshop: Workshop, viewer=None):
    return invent_view(workshop=Workshop.objects.get(pk=workshop.pk), viewer=viewer, labels={})


def test_an_idea_is_private_until_its_author_shares_it(
    yardstick: list[NoteGroup], alice: Actor, bob: Actor, facilitator: Actor, workshop: Workshop
) -> None:
    idea = _idea(alice, "自動仕分け")
    assert _pks(_context(workshop, alice.participant).my_ideas) == [idea.pk]
    assert _context(workshop, bob.participant).shared_ideas == []
    with pytest.raises(PermissionDenied):
        services.idea_share(actor=bob, idea_id=idea.pk)
    with pytest.raises(InvalidAction):
        services.idea_stage(actor=facilitator, idea_id=idea.pk)  # not shared yet
    services.idea_share(actor=alice, idea_id=idea.pk)
    assert _pks(_context(workshop, bob.participant).shared_ideas) == [idea.pk]
    with pytest.raises(PermissionDenied):
        services.idea_stage(actor=alice, idea_id=idea.pk)  # only the facilitator stages
    services.idea_stage(actor=facilitator, idea_id=idea.pk)
    assert _pks([_context(workshop, bob.participant).staged]) == [idea.pk]
    workshop = Workshop.objects.get(pk=workshop.pk)
    assert workshop.timer_state == "running"  # the presenter's four minutes
    assert 239_000 <= workshop.timer_remaining_at(timezone.now()).total_seconds() * 1000 <= 240_000


def test_only_its_author_rewrites_an_idea(
    yardstick: list[NoteGroup], alice: Actor, bob: Actor
) -> None:
    idea = _idea(alice, "自動仕分け")
    with pytest.raises(PermissionDenied):
        services.idea_save(actor=bob, idea_id=idea.pk, slots=SLOTS)
    services.idea_save(actor=alice, idea_id=idea.pk, slots={**SLOTS, "capability": "改善版"})
    assert Idea.objects.get().capability == "改善版"


def test_marks_are_one_per_group_and_score_with_the_groups_scores(
    yardstick: list[NoteGroup], alice: Actor, facilitator: Actor, workshop: Workshop
) -> None:
    idea = _idea(alice, "自動仕分け")
    services.idea_share(actor=alice, idea_id=idea.pk)
    services.idea_stage(actor=facilitator, idea_id=idea.pk)
    eight, three = yardstick
    services.mark_set(actor=alice, idea_id=idea.pk, group_id=eight.pk, value="solves")
    services.mark_set(actor=alice, idea_id=idea.pk, group_id=three.pk, value="partly")
    services.mark_set(actor=alice, idea_id=idea.pk, group_id=three.pk, value="partly")  # again
    assert Mark.objects.count() == 2
    assert _context(workshop, alice.participant).my_score == "9.5"  # 8×1 + 3×0.5
    NoteGroup.objects.filter(pk=three.pk).update(score=5)  # scores changed after marking
    assert _context(workshop, alice.participant).my_score == "10.5"
    services.mark_set(actor=alice, idea_id=idea.pk, group_id=three.pk, value="blank")
    assert Mark.objects.count() == 1


def test_marks_need_a_shared_idea_and_a_participant(
    yardstick: list[NoteGroup], alice: Actor, facilitator: Actor
) -> None:
    idea = _idea(alice, "自動仕分け")
    with pytest.raises(InvalidAction):
        services.mark_set(actor=alice, idea_id=idea.pk, group_id=yardstick[0].pk, value="solves")
    services.idea_share(actor=alice, idea_id=idea.pk)
    with pytest.raises(PermissionDenied):
        services.mark_set(
            actor=facilitator, idea_id=idea.pk, group_id=yardstick[0].pk, value="solves"
        )
    with pytest.raises(InvalidAction):
        services.mark_set(actor=alice, idea_id=idea.pk, group_id=yardstick[0].pk, value="◎")


def test_the_reveal_decides_by_votes_then_total_then_a_recorded_dice(
    yardstick: list[NoteGroup], alice: Actor, bob: Actor, facilitator: Actor, workshop: Workshop
) -> None:
    eight, three = yardstick
    first, second = _idea(alice, "案A"), _idea(bob, "案B")
    services.idea_share(actor=alice, idea_id=first.pk)
    services.idea_share(actor=bob, idea_id=second.pk)
    # Alice: A = 8, B = 3; Bob: B = 8, A = 3 → one vote each, totals 11 and 11: the dice.
    for actor, top, other in ((alice, first, second), (bob, second, first)):
        services.mark_set(actor=actor, idea_id=top.pk, group_id=eight.pk, value="solves")
        services.mark_set(actor=actor, idea_id=other.pk, group_id=three.pk, value="solves")
    with pytest.raises(PermissionDenied):
        services.results_reveal(actor=alice)
    rolled: list[tuple[object, ...]] = []

    def dice(tied):
        rolled.append(tied)
        return tied[-1]

    step_go(actor=facilitator, to="invent-results")
    invent = services.results_reveal(actor=facilitator, dice=dice)
    assert invent.decided_by == "dice" and len(rolled) == 1
    assert set(invent.tied) == {str(first.pk), str(second.pk)}
    assert invent.winner_id == rolled[0][-1]
    # The dice is kept: revealing again rolls nothing.
    services.results_reveal(actor=facilitator, dice=dice)
    assert len(rolled) == 1
    with pytest.raises(InvalidAction):
        services.mark_set(actor=alice, idea_id=first.pk, group_id=eight.pk, value="partly")


def test_a_tie_on_votes_goes_to_the_higher_total(
    yardstick: list[NoteGroup], alice: Actor, bob: Actor, facilitator: Actor
) -> None:
    eight, three = yardstick
    first, second = _idea(alice, "案A"), _idea(bob, "案B")
    services.idea_share(actor=alice, idea_id=first.pk)
    services.idea_share(actor=bob, idea_id=second.pk)
    services.mark_set(actor=alice, idea_id=first.pk, group_id=eight.pk, value="solves")
    services.mark_set(actor=alice, idea_id=first.pk, group_id=three.pk, value="solves")  # 11
    services.mark_set(actor=bob, idea_id=second.pk, group_id=eight.pk, value="solves")  # 8
    step_go(actor=facilitator, to="invent-results")
    invent = services.results_reveal(actor=facilitator)
    assert (invent.winner_id, invent.decided_by) == (first.pk, "total")


def test_a_shared_top_asks_for_a_pick(
    yardstick: list[NoteGroup], alice: Actor, bob: Actor, facilitator: Actor, workshop: Workshop
) -> None:
    eight, _three = yardstick
    first, second = _idea(alice, "案A"), _idea(bob, "案B")
    services.idea_share(actor=alice, idea_id=first.pk)
    services.idea_share(actor=bob, idea_id=second.pk)
    for idea in (first, second):
        services.mark_set(actor=alice, idea_id=idea.pk, group_id=eight.pk, value="solves")
    step_go(actor=facilitator, to="invent-results")
    assert set(_pks(_context(workshop, alice.participant).must_pick)) == {first.pk, second.pk}
    services.pick_set(actor=alice, idea_id=second.pk)
    invent = services.results_reveal(actor=facilitator)
    assert (invent.winner_id, invent.decided_by) == (second.pk, "votes")


def test_the_facilitator_overrides_with_a_reason(
    yardstick: list[NoteGroup], alice: Actor, facilitator: Actor
) -> None:
    idea = _idea(alice, "案A")
    services.idea_share(actor=alice, idea_id=idea.pk)
    with pytest.raises(InvalidAction):
        services.winner_override(actor=facilitator, idea_id=idea.pk, reason=" ")
    with pytest.raises(PermissionDenied):
        services.winner_override(actor=alice, idea_id=idea.pk, reason="自分の案")
    services.winner_override(actor=facilitator, idea_id=idea.pk, reason="経営方針に合う")
    invent = Invent.objects.get()
    assert (invent.winner_id, invent.decided_by, invent.reason) == (
        idea.pk,
        "override",
        "経営方針に合う",
    )


def test_an_override_keeps_the_dice_on_record_and_both_are_shown(
    yardstick: list[NoteGroup], alice: Actor, bob: Actor, facilitator: Actor, workshop: Workshop
) -> None:
    """What the rules decided (here the dice, and the face it came up) stays on record next to
    the facilitator's choice and reason, on screen and in the document (issue 12: the
    override erased it, and the dice's roll was never shown)."""
    eight, three = yardstick
    first, second = _idea(alice, "案A"), _idea(bob, "案B")
    for idea, author in ((first, alice), (second, bob)):
        services.idea_share(actor=author, idea_id=idea.pk)
    for actor, top, other in ((alice, first, second), (bob, second, first)):
        services.mark_set(actor=actor, idea_id=top.pk, group_id=eight.pk, value="solves")
        services.mark_set(actor=actor, idea_id=other.pk, group_id=three.pk, value="solves")
    step_go(actor=facilitator, to="invent-results")
    services.results_reveal(actor=facilitator, dice=lambda tied: tied[-1])
    rolled = Invent.objects.get().winner_id
    assert rolled is not None
    other = first if rolled == second.pk else second
    services.winner_override(actor=facilitator, idea_id=other.pk, reason="経営方針に合う")
    services.winner_override(actor=facilitator, idea_id=other.pk, reason="経営方針に合うため")
    invent = Invent.objects.get()
    assert (invent.winner_id, invent.decided_by) == (other.pk, "override")
    assert (invent.ruled_winner_id, invent.ruled_by) == (rolled, "dice")  # kept through both
    assert set(invent.tied) == {str(first.pk), str(second.pk)}
    labels = {p.pk: p.display_name for p in Workshop.objects.get(pk=workshop.pk).participants.all()}
    view = invent_view(workshop=Workshop.objects.get(pk=workshop.pk), viewer=None, labels=labels)
    face = [idea.pk for idea in view.tied_ideas].index(rolled) + 1
    assert view.dice_face == face
    with translation.override("ja"):
        html = render_to_string(
            "phases/invent.html#decided-by", {"invent": invent, **names_of(view)}
        )
    assert "進行役が選びました：" in html and "経営方針に合うため" in html
    ruled = "案A" if rolled == first.pk else "案B"
    assert f"ルールどおりなら： <bdi>{ruled}</bdi>" in html
    assert f"サイコロは 2 案のうち {face} 番目を選びました： <bdi>{ruled}</bdi>" in html


def test_the_marking_list_puts_customer_problems_first_under_side_headings(
    yardstick: list[NoteGroup], alice: Actor, facilitator: Actor, workshop: Workshop
) -> None:
    """The deck's order, as the projector and the document have it: customer problems, then
    business problems, each side under its heading (issue 12: business came first)."""
    step_go(actor=facilitator, to="define-business")
    business = board_services.note_create(
        actor=alice,
        note_id=uuid.uuid4(),
        kind="business_problems",
        text="解約が多い",
        cell="contract",
    )
    step_go(actor=facilitator, to="define-grouping")
    group_services.note_move(actor=facilitator, note_id=business.pk, new_group=True)
    business_group = Note.objects.get(pk=business.pk).group
    assert business_group is not None
    group_services.group_rename(actor=facilitator, group_id=business_group.pk, name="継続")
    group_services.group_score(actor=facilitator, group_id=business_group.pk, score=8)
    step_go(actor=facilitator, to="invent-share")
    idea = _idea(alice, "自動仕分け")
    services.idea_share(actor=alice, idea_id=idea.pk)
    services.idea_stage(actor=facilitator, idea_id=idea.pk)
    view = _context(workshop, alice.participant)
    assert [item.side for item in view.scored_groups] == [
        "customer_problems",
        "customer_problems",
        "business_problems",
    ]
    room = room_view(
        workshop=Workshop.objects.get(pk=workshop.pk),
        role=Role.PARTICIPANT,
        viewer=alice.participant,
    )
    with translation.override("ja"):
        html = render_to_string("phases/invent.html#ideas", room.template_names())
    marks = html[html.index('<table class="marks">') :]
    assert marks.index("顧客の課題") < marks.index(f'value="{yardstick[0].pk}"')
    assert marks.index(f'value="{yardstick[1].pk}"') < marks.index("ビジネスの課題")
    assert marks.index("ビジネスの課題") < marks.index(f'value="{business_group.pk}"')


def test_an_idea_left_blank_on_every_group_counts_in_its_spread(
    yardstick: list[NoteGroup], alice: Actor, bob: Actor, facilitator: Actor, workshop: Workshop
) -> None:
    """評価のぶれ over everyone who evaluated: Bob left Alice's idea blank on every group, which
    is an evaluation, not an absence (issue 12: the spread said 0.00)."""
    first = _idea(alice, "自動仕分け")
    second = _idea(bob, "請求書の読み取り")
    for idea, author in ((first, alice), (second, bob)):
        services.idea_share(actor=author, idea_id=idea.pk)
    eight, _three = yardstick
    services.idea_stage(actor=facilitator, idea_id=first.pk)
    services.mark_set(actor=alice, idea_id=first.pk, group_id=eight.pk, value="solves")
    services.idea_stage(actor=facilitator, idea_id=second.pk)
    services.mark_set(actor=bob, idea_id=second.pk, group_id=eight.pk, value="solves")
    step_go(actor=facilitator, to="invent-results")
    services.results_reveal(actor=facilitator, dice=lambda tied: tied[0])
    workshop = Workshop.objects.get(pk=workshop.pk)
    labels = {p.pk: p.display_name for p in workshop.participants.all()}
    rows = {
        row.idea.pk: row
        for row in invent_view(workshop=workshop, viewer=None, labels=labels).result_rows
    }
    # On the 8 group one ○ and one blank (0.5), on the 3 group two blanks (0): 0.25.
    assert rows[first.pk].spread == pytest.approx(0.25)
    assert rows[second.pk].spread == pytest.approx(0.25)
