"""What the Invent steps show: the idea on stage, your ideas and marks, and the results.

Marks and unshared ideas reach only their author until the facilitator reveals the results.
The marks table and the result are read here once, for the screens, the document and the
service that reveals the results alike.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from fractions import Fraction
from uuid import UUID

from django.utils.safestring import SafeString
from django.utils.translation import gettext

from sessions.models import Idea, Invent, Mark, NoteGroup, Participant, Pick, Workshop
from sessions.rules import scales, scoring
from sessions.rules.boards import PROBLEM_KINDS, BoardKind
from sessions.rules.invent import SLOT_KEYS
from sessions.rules.steps import Workspace
from sessions.selectors.boards import YardstickSide
from sessions.selectors.shapes import in_seat_order, isolated_sentence, view_of

# participant → idea → scored group → ○/△
MarksByPerson = dict[int, dict[UUID, dict[UUID, scoring.Mark]]]
Dice = Callable[[Sequence[UUID]], UUID]


@dataclass(frozen=True)
class IdeaView:
    """An idea in the deck's six slots, its author named."""

    pk: UUID
    customer: str
    situation: str
    capability: str
    customer_metric: str
    business_metric: str
    data: str
    shared_at: datetime | None
    author_id: int
    author_label: str

    @classmethod
    def of(cls, idea: Idea, labels: Mapping[int, str]) -> IdeaView:
        return view_of(cls, idea, author_label=labels.get(idea.author_id, ""))

    @property
    def sentence(self) -> str:
        """The deck's example sentence with the six slots filled in (Invent)."""
        return _idea_sentence() % self._slots()

    @property
    def sentence_html(self) -> SafeString:
        """The sentence as a page shows it: each slot in its own isolate, so that no slot
        turns the rest of the sentence around."""
        return isolated_sentence(_idea_sentence(), self._slots())

    def _slots(self) -> dict[str, str]:
        return {slot: getattr(self, slot) for slot in SLOT_KEYS}


def _idea_sentence() -> str:
    return gettext(
        "For customers who are %(customer)s, in the situation “%(situation)s”, a feature "
        "that lets them %(capability)s. It improves “%(customer_metric)s”, and "
        "“%(business_metric)s” with it. It learns from %(data)s data, which builds an edge "
        "over competitors."
    )


@dataclass(frozen=True)
class ScoredGroup:
    group: NoteGroup
    side: str  # the board kind: customer or business problems
    mark: str = ""  # the viewer's mark for the idea on stage


@dataclass(frozen=True)
class ResultRow:
    idea: IdeaView
    author: str
    scores: list[tuple[str, Fraction, bool]]  # (participant, score, first place)
    votes: int
    total: Fraction
    spread: float
    winner: bool


@dataclass(frozen=True)
class MarksTable:
    """Every ○/△ of the workshop, by participant, idea and scored group."""

    by_person: MarksByPerson

    def of(self, participant: int, idea: UUID) -> dict[UUID, scoring.Mark]:
        return self.by_person.get(participant, {}).get(idea, {})

    def by_idea(self) -> dict[UUID, dict[int, dict[UUID, scoring.Mark]]]:
        ideas: dict[UUID, dict[int, dict[UUID, scoring.Mark]]] = defaultdict(dict)
        for participant, marks in self.by_person.items():
            for idea, idea_marks in marks.items():
                ideas[idea][participant] = idea_marks
        return ideas

    def evaluations(self, idea: UUID) -> dict[int, dict[UUID, scoring.Mark]]:
        """Everyone's marks for ``idea``, for everyone who evaluated any idea: one who left
        this idea blank on every group counts as blank (scoring.mark_spread's rule); one who
        never marked anything was not there."""
        return {
            participant: marks.get(idea, {})
            for participant, marks in self.by_person.items()
            if marks
        }

    @property
    def marked_count(self) -> int:
        """How many people have marked anything yet."""
        return sum(1 for marks in self.by_person.values() if marks)


@dataclass(frozen=True)
class InventView:
    invent: Invent
    yardstick: list[YardstickSide]
    staged: IdeaView | None
    shared_ideas: list[IdeaView]
    my_ideas: list[IdeaView]
    prepared: list[tuple[str, int]]  # (author, ideas not shared yet), in seat order
    scored_groups: list[ScoredGroup]
    my_score: str
    marked_count: int
    # The results step.
    my_scores: list[tuple[IdeaView, str, bool]] = field(default_factory=list)
    must_pick: list[IdeaView] = field(default_factory=list)
    my_pick: UUID | None = None
    # Once revealed.
    result_people: list[str] = field(default_factory=list)
    result_rows: list[ResultRow] = field(default_factory=list)
    winner: IdeaView | None = None
    tied_ideas: list[IdeaView] = field(default_factory=list)
    # When the facilitator overrode the rules: the rules' winner, and the rule that chose it.
    ruled_winner: IdeaView | None = None
    ruled_by: str = ""
    # When a dice decided: the face it came up, counting the tied ideas as listed (1, 2, …).
    dice_face: int | None = None
    undecided: list[str] = field(default_factory=list)


def _dice_face(invent: Invent, tied: list[IdeaView]) -> int | None:
    """Which of the tied ideas the dice picked, counting as they are listed; None when no dice
    decided (nor, before the facilitator's override, the rules' decision)."""
    overridden = invent.decided_by == scoring.OVERRIDE
    if (invent.ruled_by if overridden else invent.decided_by) != "dice":
        return None
    picked = invent.ruled_winner_id if overridden else invent.winner_id
    faces = [idea.pk for idea in tied]
    return faces.index(picked) + 1 if picked in faces else None


def scored_groups(*, workshop: Workshop) -> list[NoteGroup]:
    """The evaluation table as Define left it: the yardstick the ideas are measured with, in
    the deck's order (customer problems first), highest score first on each side."""
    groups = (
        NoteGroup.objects.filter(
            board__workshop=workshop, board__kind__in=PROBLEM_KINDS, score__isnull=False
        )
        .select_related("board")
        .order_by("-score", "created_at")
    )
    return sorted(groups, key=lambda group: PROBLEM_KINDS.index(BoardKind(group.board.kind)))


def marks_table(*, workshop: Workshop, people: Iterable[int] = ()) -> MarksTable:
    """Every mark; ``people`` are listed even before they mark anything."""
    by_person: MarksByPerson = {pk: {} for pk in people}
    for idea_id, participant_id, group_id, value in Mark.objects.filter(
        idea__workshop=workshop
    ).values_list("idea_id", "participant_id", "group_id", "value"):
        marks = by_person.setdefault(participant_id, {}).setdefault(idea_id, {})
        marks[group_id] = scoring.Mark(value)
    return MarksTable(by_person)


def _picks(workshop: Workshop) -> dict[int, UUID]:
    return dict(
        Pick.objects.filter(idea__workshop=workshop).values_list("participant_id", "idea_id")
    )


def current_result(*, workshop: Workshop, dice: Dice) -> scoring.Result[int, UUID]:
    """The winner by the rules (WORKSHOP.md, Invent), from the marks, the groups' current
    scores and the first places picked; ``dice`` settles a tie the rules leave open."""
    ideas = list(
        Idea.objects.filter(workshop=workshop, shared_at__isnull=False).values_list("pk", flat=True)
    )
    group_scores = {group.pk: group.score or 0 for group in scored_groups(workshop=workshop)}
    people = workshop.participants.values_list("pk", flat=True)
    marks = marks_table(workshop=workshop, people=people)
    scores = scoring.score_table(marks.by_person, group_scores, ideas=ideas)
    return scoring.decide_winner(scores, _picks(workshop), dice, ideas=ideas)


def _first_of(tied: Sequence[UUID]) -> UUID:
    """Before the reveal nothing is rolled: the screens show the standing, not a dice."""
    return tied[0]


def invent_view(
    *,
    workshop: Workshop,
    viewer: Participant | None,
    labels: dict[int, str],
    results: bool | None = None,
) -> InventView:
    """``results`` (by default: in the results step) adds the scores, picks and, once
    revealed, the result table and the winner."""
    # Read only: the row is made by the first Invent write, never by a render.
    invent = Invent.objects.filter(workshop=workshop).first() or Invent(workshop=workshop)
    ideas = [
        IdeaView.of(idea, labels)
        for idea in Idea.objects.filter(workshop=workshop).order_by("shared_at", "created_at")
    ]
    shared = [idea for idea in ideas if idea.shared_at]
    groups = scored_groups(workshop=workshop)
    group_scores = {group.pk: group.score or 0 for group in groups}
    marks = marks_table(workshop=workshop, people=labels)
    staged = next((idea for idea in shared if idea.pk == invent.staged_id), None)
    mine: dict[UUID, scoring.Mark] = {}
    if viewer is not None and staged is not None:
        mine = marks.of(viewer.pk, staged.pk)
    scored = [ScoredGroup(group, group.board.kind, mine.get(group.pk, "")) for group in groups]
    view = InventView(
        invent=invent,
        yardstick=[
            YardstickSide(kind, [item for item in scored if item.side == kind])
            for kind in PROBLEM_KINDS
        ],
        staged=staged,
        shared_ideas=shared,
        my_ideas=[idea for idea in ideas if viewer and idea.author_id == viewer.pk],
        prepared=in_seat_order(
            labels, Counter(idea.author_id for idea in ideas if not idea.shared_at)
        ),
        scored_groups=scored,
        my_score=scales.number(scoring.idea_score(mine, group_scores)) if staged else "",
        marked_count=marks.marked_count,
    )
    if not (workshop.step.workspace == Workspace.RESULTS if results is None else results):
        return view
    shared_ids = [idea.pk for idea in shared]
    scores = scoring.score_table(marks.by_person, group_scores, ideas=shared_ids)
    picks = _picks(workshop)
    if viewer is not None:
        top = scoring.first_places(scores).get(viewer.pk, set())
        view = replace(
            view,
            my_scores=[
                (
                    idea,
                    scales.number(scores.get(viewer.pk, {}).get(idea.pk, Fraction(0))),
                    idea.pk in top,
                )
                for idea in shared
            ],
            must_pick=[idea for idea in shared if idea.pk in top] if len(top) > 1 else [],
            my_pick=picks.get(viewer.pk),
        )
    if not invent.revealed:
        return view
    result = scoring.decide_winner(scores, picks, _first_of, ideas=shared_ids)
    tied = [idea for idea in shared if str(idea.pk) in invent.tied]
    people = list(labels.items())
    return replace(
        view,
        result_people=[label for _pk, label in people],
        result_rows=[
            ResultRow(
                idea=idea,
                author=idea.author_label,
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
                # Over everyone who evaluated: all blank is an evaluation too.
                spread=scoring.mark_spread(marks.evaluations(idea.pk), list(group_scores)),
                winner=idea.pk == invent.winner_id,
            )
            for idea in shared
        ],
        winner=next((idea for idea in shared if idea.pk == invent.winner_id), None),
        tied_ideas=tied,
        ruled_winner=next((idea for idea in shared if idea.pk == invent.ruled_winner_id), None),
        ruled_by=invent.ruled_by,
        dice_face=_dice_face(invent, tied),
        undecided=[label for pk, label in labels.items() if pk in result.undecided],
    )
