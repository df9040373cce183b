"""A checked workshop file (portable_reader) written as one new workshop, in one transaction:
a file refused anywhere creates nothing."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, models, transaction
from django.utils.translation import gettext as _

from sessions.exports.portable_reader import (
    ImportRefused,
    Reader,
    created_at,
    max_length,
    ratings,
)
from sessions.models import (
    Board,
    Idea,
    Invent,
    Language,
    Mark,
    Note,
    NoteGroup,
    Participant,
    Persona,
    Pick,
    PlanCell,
    Proposal,
    ProposalEntry,
    QuestionnaireAnswer,
    SummarySlot,
    Workshop,
)
from sessions.rules import plan, refine, scales, steps
from sessions.rules.boards import BoardKind, cell_keys
from sessions.rules.invent import SLOT_KEYS
from sessions.rules.refine import EntryKind
from sessions.rules.scoring import DECISIONS, GIVEN_MARKS, RULES
from sessions.services.workshops import CreatedWorkshop, workshop_create, workshop_made_with


def import_workshop(data: dict[str, Any], *, creation_key: str = "") -> CreatedWorkshop:
    """A new workshop from a parsed file; nothing is created unless all of it is valid. The
    same ``creation_key`` again (the same form posted twice) returns the one it made."""
    made = workshop_made_with(creation_key)
    if made is not None:
        return made
    try:
        return _import(data, creation_key)
    except (DatabaseError, OverflowError, UnicodeError) as error:
        # What the checks above did not foresee still refuses the file, and rolls back.
        raise ImportRefused(
            _("The file does not fit together: %(error)s") % {"error": str(error)[:200]}
        ) from None


def _import(data: dict[str, Any], creation_key: str) -> CreatedWorkshop:
    r = Reader()
    with transaction.atomic():
        head = r.obj(data.get("workshop"), "workshop")
        title = r.text(head, "title", "workshop", max_length(Workshop, "title")) or "—"
        team = r.text(head, "team_name", "workshop", max_length(Workshop, "team_name")) or "—"
        language = r.choice(head, "language", "workshop", Language.values)
        step = r.choice(head, "step", "workshop", [s.key for s in steps.DAY1])
        created = workshop_create(
            title=title, team_name=team, language=language, creation_key=creation_key
        )
        workshop = created.workshop
        when = created_at(r, head)
        workshop.step_key = step
        workshop.timer_remaining_ms = steps.step_for(step).seconds * 1000
        workshop.save(update_fields=["step_key", "timer_remaining_ms"])
        Workshop.objects.filter(pk=workshop.pk).update(created_at=when)
        workshop.created_at = when
        clock = _Clock(when)

        people: dict[str, Participant] = {}
        for n, item in enumerate(r.items(data.get("participants", []), "participants"), 1):
            path = f"participants[{n - 1}]"
            item = r.obj(item, path)
            key = r.key(item, path, people)
            people[key] = Participant.objects.create(
                workshop=workshop,
                display_name=r.text(item, "name", path, max_length(Participant, "display_name"))
                or "?",
                seat=n,
                refine_role=r.choice(item, "role", path, ["", *refine.RefineRole]),
            )

        persona = data.get("persona")
        if persona is not None:
            persona = r.obj(persona, "persona")
            Persona.objects.create(
                workshop=workshop,
                name=r.text(persona, "name", "persona", max_length(Persona, "name")),
                description=r.text(
                    persona, "description", "persona", max_length(Persona, "description")
                ),
            )

        groups = _import_boards(r, data, workshop, people, clock)
        _import_invent(r, data, workshop, people, groups, clock)
        _import_proposal(r, data, workshop)
        _import_plan(r, data, workshop)
        for n, item in enumerate(r.items(data.get("questionnaire", []), "questionnaire")):
            path = f"questionnaire[{n}]"
            item = r.obj(item, path)
            who = r.ref(item, "participant", path, people)
            if who is None or QuestionnaireAnswer.objects.filter(participant=who).exists():
                raise r.refuse(f"{path}.participant", _("missing or repeated"))
            QuestionnaireAnswer.objects.create(
                participant=who,
                go_straight=r.choice(item, "go_straight", path, (None, True, False)),
                ratings=ratings(r, item.get("ratings", {}), f"{path}.ratings"),
            )
    return created


class _Clock:
    """Creation times one microsecond apart, from the workshop's: the file's order is kept."""

    def __init__(self, start: datetime) -> None:
        self.moment = start

    def tick(self) -> datetime:
        self.moment += timedelta(microseconds=1)
        return self.moment


def _stamp(model: type[models.Model], rows: list[tuple[Any, datetime]], field: str) -> None:
    for pk, moment in rows:
        model.objects.filter(pk=pk).update(**{field: moment})  # type: ignore[attr-defined]


def _import_boards(
    r: Reader,
    data: dict[str, Any],
    workshop: Workshop,
    people: dict[str, Participant],
    clock: _Clock,
) -> dict[str, NoteGroup]:
    groups: dict[str, NoteGroup] = {}
    kinds: set[str] = set()
    stamps: list[tuple[Any, datetime]] = []
    group_stamps: list[tuple[Any, datetime]] = []
    for b, item in enumerate(r.items(data.get("boards", []), "boards")):
        path = f"boards[{b}]"
        item = r.obj(item, path)
        kind = r.choice(item, "kind", path, [kind.value for kind in BoardKind])
        if kind in kinds:
            raise r.refuse(f"{path}.kind", _("missing or repeated"))
        kinds.add(kind)
        board = Board.objects.create(
            workshop=workshop,
            kind=kind,
            revealed=r.choice(item, "revealed", path, (True, False)),
            owner=r.ref(item, "owner", path, people),
        )
        cells = ["", *cell_keys(kind)]
        for g, group in enumerate(r.items(item.get("groups", []), f"{path}.groups")):
            gpath = f"{path}.groups[{g}]"
            group = r.obj(group, gpath)
            key = r.key(group, gpath, groups)
            groups[key] = NoteGroup.objects.create(
                id=uuid.uuid4(),
                board=board,
                cell=r.choice(group, "cell", gpath, cells),
                name=r.text(group, "name", gpath, max_length(NoteGroup, "name")),
                score=r.choice(group, "score", gpath, (None, *scales.SCALE)),
            )
            group_stamps.append((groups[key].pk, clock.tick()))
        own_groups = {k: v for k, v in groups.items() if v.board_id == board.pk}
        given: set[tuple[int, int]] = set()  # (author, points): each value once per side
        for n, note in enumerate(r.items(item.get("notes", []), f"{path}.notes")):
            npath = f"{path}.notes[{n}]"
            note = r.obj(note, npath)
            author = r.ref(note, "author", npath, people)
            text = r.text(note, "text", npath, max_length(Note, "text"))
            if author is None or not text:
                raise r.refuse(npath, _("a note needs an author and a text"))
            points = r.choice(note, "points", npath, (None, *scales.POINTS))
            if points is not None:
                if (author.pk, points) in given:
                    raise r.refuse(f"{npath}.points", _("given twice by the same person"))
                given.add((author.pk, points))
            created = Note.objects.create(
                id=uuid.uuid4(),
                board=board,
                author=author,
                cell=r.choice(note, "cell", npath, cells),
                text=text,
                influence=r.text(note, "influence", npath, max_length(Note, "influence")),
                situation=r.text(note, "situation", npath, max_length(Note, "situation")),
                is_assumption=r.choice(note, "assumption", npath, (True, False)),
                points=points,
                group=r.ref(note, "group", npath, own_groups),
            )
            stamps.append((created.pk, clock.tick()))
    _stamp(NoteGroup, group_stamps, "created_at")
    _stamp(Note, stamps, "created_at")
    return groups


def _import_invent(
    r: Reader,
    data: dict[str, Any],
    workshop: Workshop,
    people: dict[str, Participant],
    groups: dict[str, NoteGroup],
    clock: _Clock,
) -> None:
    section = r.obj(data.get("invent", {}), "invent")
    ideas: dict[str, Idea] = {}
    stamps: list[tuple[Any, datetime]] = []
    shared: list[tuple[int, Idea]] = []
    for n, item in enumerate(r.items(section.get("ideas", []), "invent.ideas")):
        path = f"invent.ideas[{n}]"
        item = r.obj(item, path)
        key = r.key(item, path, ideas)
        author = r.ref(item, "author", path, people)
        if author is None:
            raise r.refuse(path, _("an idea needs an author"))
        slots = {slot: r.text(item, slot, path, max_length(Idea, slot)) for slot in SLOT_KEYS}
        ideas[key] = Idea.objects.create(id=uuid.uuid4(), workshop=workshop, author=author, **slots)
        stamps.append((ideas[key].pk, clock.tick()))
        order = item.get("shared")
        if order is not None:
            if not isinstance(order, int) or isinstance(order, bool) or order < 1:
                raise r.refuse(f"{path}.shared", _("not one of the allowed values"))
            shared.append((order, ideas[key]))
    _stamp(Idea, stamps, "created_at")
    _stamp(
        Idea, [(i.pk, clock.tick()) for _o, i in sorted(shared, key=lambda s: s[0])], "shared_at"
    )
    for n, mark in enumerate(r.items(section.get("marks", []), "invent.marks")):
        path = f"invent.marks[{n}]"
        values = r.items(mark, path)
        if len(values) != 4:
            raise r.refuse(path, _("expected [idea, participant, group, mark]"))
        row = dict(zip(("idea", "participant", "group", "value"), values, strict=True))
        idea, who, group = (
            r.ref(row, "idea", path, ideas),
            r.ref(row, "participant", path, people),
            r.ref(row, "group", path, groups),
        )
        if idea is None or who is None or group is None:
            raise r.refuse(path, _("refers to nothing in the file"))
        if Mark.objects.filter(idea=idea, participant=who, group=group).exists():
            raise r.refuse(path, _("missing or repeated"))
        Mark.objects.create(
            idea=idea,
            participant=who,
            group=group,
            value=r.choice(row, "value", path, GIVEN_MARKS),
        )
    for n, pick in enumerate(r.items(section.get("picks", []), "invent.picks")):
        path = f"invent.picks[{n}]"
        values = r.items(pick, path)
        if len(values) != 2:
            raise r.refuse(path, _("expected [participant, idea]"))
        row = dict(zip(("participant", "idea"), values, strict=True))
        who, idea = r.ref(row, "participant", path, people), r.ref(row, "idea", path, ideas)
        if who is None or idea is None:
            raise r.refuse(path, _("refers to nothing in the file"))
        if Pick.objects.filter(participant=who).exists():
            raise r.refuse(path, _("missing or repeated"))
        Pick.objects.create(participant=who, idea=idea)
    tied = [
        r.ref({"t": t}, "t", "invent.tied", ideas)
        for t in r.items(section.get("tied", []), "invent.tied")
    ]
    if any(t is None for t in tied):
        raise r.refuse("invent.tied", _("refers to nothing in the file"))
    if section:
        Invent.objects.create(
            workshop=workshop,
            staged=r.ref(section, "staged", "invent", ideas),
            revealed=r.choice(section, "revealed", "invent", (True, False)),
            winner=r.ref(section, "winner", "invent", ideas),
            decided_by=r.choice(section, "decided_by", "invent", ("", *DECISIONS)),
            tied=[str(t.pk) for t in tied],
            reason=r.text(section, "reason", "invent", max_length(Invent, "reason")),
            # Files written before overrides kept the rules' decision have neither.
            ruled_winner=r.ref(section, "ruled_winner", "invent", ideas),
            ruled_by=r.choice(
                {"ruled_by": section.get("ruled_by", "")}, "ruled_by", "invent", ("", *RULES)
            ),
        )


def _import_proposal(r: Reader, data: dict[str, Any], workshop: Workshop) -> None:
    section = r.obj(data.get("proposal", {}), "proposal")
    if not section:
        return
    Proposal.objects.create(
        workshop=workshop, reading=r.choice(section, "reading", "proposal", ["", *refine.SECTIONS])
    )
    summary = r.obj(section.get("summary", {}), "proposal.summary")
    for slot in summary:
        if slot not in refine.SLOT_KEYS:
            raise r.refuse("proposal.summary", _("not one of the allowed values"))
        SummarySlot.objects.create(
            workshop=workshop,
            slot=slot,
            text=r.text(summary, slot, "proposal.summary", max_length(SummarySlot, "text")),
        )
    for kind in (EntryKind.FAQ, EntryKind.DEMO):
        for n, item in enumerate(r.items(section.get(kind, []), f"proposal.{kind}")):
            path = f"proposal.{kind}[{n}]"
            item = r.obj(item, path)
            text = r.text(item, "text", path, max_length(ProposalEntry, "text"))
            if not text:
                raise r.refuse(f"{path}.text", _("missing or repeated"))
            ProposalEntry.objects.create(
                id=uuid.uuid4(),
                workshop=workshop,
                kind=kind,
                text=text,
                answer=(
                    r.text(item, "answer", path, max_length(ProposalEntry, "answer"))
                    if kind == EntryKind.FAQ
                    else ""
                ),
                red=r.choice(item, "red", path, (True, False)),
                position=n,
            )


def _import_plan(r: Reader, data: dict[str, Any], workshop: Workshop) -> None:
    seen: set[tuple[str, str]] = set()
    for n, item in enumerate(r.items(data.get("plan", []), "plan")):
        path = f"plan[{n}]"
        item = r.obj(item, path)
        column = r.choice(item, "column", path, [c for c, _l in plan.COLUMNS])
        row = r.choice(item, "row", path, [w for w, _l in plan.ROWS])
        if (column, row) in seen:
            raise r.refuse(path, _("missing or repeated"))
        seen.add((column, row))
        PlanCell.objects.create(
            workshop=workshop,
            column=column,
            row=row,
            text=r.text(item, "text", path, max_length(PlanCell, "text")),
        )
