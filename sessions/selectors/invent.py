"""What the Invent steps show: the idea on stage, your ideas and marks, and the results.

Marks and unshared ideas reach only their author until the facilitator reveals the results.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from sessions.models import Idea, Invent, Mark, NoteGroup, Participant, Pick, Workshop
from sessions.rules import scoring
from sessions.rules.boards import PROBLEM_KINDS
from sessions.rules.steps import Workspace


@dataclass(frozen=True)
class ScoredGroup:
    group: NoteGroup
    side: str  # the board kind: customer or business problems
    mark: str = ""  # the viewer's mark for the idea on stage


@dataclass(frozen=True)
class ResultRow:
    idea: Idea
    author: str
    scores: list[tuple[str, Fraction, bool]]  # (participant, score, first place)
    votes: int
    total: Fraction
    spread: float
    winner: bool


def _number(value: Fraction) -> str:
    return f"{float(value):g}"


def invent_context(
    workshop: Workshop,
    viewer: Participant | None,
    labels: dict[int, str],
    *,
    results: bool | None = None,
) -> dict[str, Any]:
    """``results`` (by default: in the results step) adds the scores, picks and, once
    revealed, the result table and the winner."""
    # Read only: the row is made by the first Invent write, never by a render.
    invent = Invent.objects.filter(workshop=workshop).first() or Invent(workshop=workshop)
    ideas = list(Idea.objects.filter(workshop=workshop).order_by("shared_at", "created_at"))
    shared = [idea for idea in ideas if idea.shared_at]
    for idea in ideas:
        idea.author_label = labels.get(idea.author_id, "")  # type: ignore[attr-defined]
    groups = list(
        NoteGroup.objects.filter(
            board__workshop=workshop, board__kind__in=PROBLEM_KINDS, score__isnull=False
        )
        .select_related("board")
        .order_by("board__kind", "-score", "created_at")
    )
    group_scores = {group.pk: group.score for group in groups}
    marks = list(
        Mark.objects.filter(idea__workshop=workshop).values_list(
            "idea_id", "participant_id", "group_id", "value"
        )
    )
    by_person: dict[int, dict[Any, dict[Any, scoring.Mark]]] = {pk: {} for pk in labels}
    for idea_id, participant_id, group_id, value in marks:
        by_person.setdefault(participant_id, {}).setdefault(idea_id, {})[group_id] = scoring.Mark(
            value
        )
    staged = next((idea for idea in shared if idea.pk == invent.staged_id), None)
    mine: dict[Any, scoring.Mark] = {}
    if viewer is not None and staged is not None:
        mine = by_person.get(viewer.pk, {}).get(staged.pk, {})
    scored = [ScoredGroup(group, group.board.kind, mine.get(group.pk, "")) for group in groups]
    context: dict[str, Any] = {
        "invent": invent,
        # The evaluation table, as Define left it: the yardstick the ideas are measured with.
        "yardstick": [
            ({"kind": kind}, [item for item in scored if item.side == kind])
            for kind in PROBLEM_KINDS
        ],
        "staged": staged,
        "shared_ideas": shared,
        "my_ideas": [idea for idea in ideas if viewer and idea.author_id == viewer.pk],
        "prepared": sorted(
            Counter(labels.get(i.author_id, "") for i in ideas if not i.shared_at).items()
        ),
        "scored_groups": scored,
        "my_score": _number(scoring.idea_score(mine, group_scores)) if staged else "",
        "marked_count": len({participant for _i, participant, _g, _v in marks}),
    }
    if not (workshop.step.workspace == Workspace.RESULTS if results is None else results):
        return context
    scores = scoring.score_table(by_person, group_scores, ideas=[idea.pk for idea in shared])
    picks = dict(
        Pick.objects.filter(idea__workshop=workshop).values_list("participant_id", "idea_id")
    )
    result = scoring.decide_winner(
        scores, picks, lambda tied: tied[0], ideas=[i.pk for i in shared]
    )
    firsts = scoring.first_places(scores)
    if viewer is not None:
        top = firsts.get(viewer.pk, set())
        context["my_scores"] = [
            (idea, _number(scores.get(viewer.pk, {}).get(idea.pk, Fraction(0))), idea.pk in top)
            for idea in shared
        ]
        context["must_pick"] = [idea for idea in shared if idea.pk in top] if len(top) > 1 else []
        context["my_pick"] = picks.get(viewer.pk)
    if invent.revealed:
        winner_id = invent.winner_id
        people = [(pk, labels[pk]) for pk in labels]
        marks_by_idea: dict[Any, dict[int, dict[Any, scoring.Mark]]] = defaultdict(dict)
        for participant, by_idea in by_person.items():
            for idea_id, idea_marks in by_idea.items():
                marks_by_idea[idea_id][participant] = idea_marks
        context["result_people"] = [label for _pk, label in people]
        context["result_rows"] = [
            ResultRow(
                idea=idea,
                author=labels.get(idea.author_id, ""),
                scores=[
                    (
                        label,
                        scores.get(pk, {}).get(idea.pk, Fraction(0)),
                        result.ballots.get(pk) == idea.pk,
                    )
                    for pk, label in people
                ],
                votes=result.votes.get(idea.pk, 0),
                total=result.totals.get(idea.pk, Fraction(0)),
                # Over the people who marked this idea: a late joiner is no disagreement.
                spread=scoring.mark_spread(marks_by_idea[idea.pk], list(group_scores)),
                winner=idea.pk == winner_id,
            )
            for idea in shared
        ]
        context["winner"] = next((idea for idea in shared if idea.pk == winner_id), None)
        context["tied_ideas"] = [idea for idea in shared if str(idea.pk) in invent.tied]
        context["undecided"] = sorted(labels.get(pk, "") for pk in result.undecided)
    return context
