"""A workshop file read back: every value checked, then one new workshop written.

Every value of a file is checked (type, length, choice, reference) before anything is written:
a malformed or hostile file is refused with the place and the reason, and creates nothing.
Importing creates a new workshop in one transaction.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import DatabaseError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sessions.exports.portable import FORMAT, VERSION
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
from sessions.rules.questionnaire import PHASES
from sessions.rules.refine import EntryKind
from sessions.rules.scoring import DECISIONS, GIVEN_MARKS
from sessions.services.workshops import CreatedWorkshop, workshop_create

MAX_BYTES = 5 * 1024 * 1024
MAX_ITEMS = 5000  # of any one list: far beyond a real workshop
EARLIEST_YEAR, LATEST_YEAR = 2000, 2999


# --- Checking a file -------------------------------------------------------------------------


class ImportRefused(ValueError):
    """The file is not a workshop this version can import; the message says where and why."""


def _max_length(model: type[models.Model], field: str) -> int:
    return int(model._meta.get_field(field).max_length or 0)  # type: ignore[union-attr]


class _Reader:
    """Typed reads from the parsed JSON, each refusing with the value's path."""

    def refuse(self, path: str, why: str) -> ImportRefused:
        return ImportRefused(_("%(path)s: %(why)s") % {"path": path, "why": why})

    def obj(self, value: Any, path: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.refuse(path, _("expected an object"))
        return value

    def items(self, value: Any, path: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.refuse(path, _("expected a list"))
        if len(value) > MAX_ITEMS:
            raise self.refuse(path, _("too many items"))
        return value

    def text(self, data: dict[str, Any], key: str, path: str, max_length: int) -> str:
        value = data.get(key, "")
        if not isinstance(value, str):
            raise self.refuse(f"{path}.{key}", _("expected a text"))
        if len(value) > max_length:
            raise self.refuse(
                f"{path}.{key}", _("longer than %(n)s characters") % {"n": max_length}
            )
        if "\x00" in value:
            raise self.refuse(f"{path}.{key}", _("contains a NUL character"))
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate, "\ud800"
            raise self.refuse(f"{path}.{key}", _("is not valid text")) from None
        return value

    def key(self, data: dict[str, Any], path: str, taken: dict[str, Any]) -> str:
        """The item's own key: present, and not one an earlier item has."""
        value = self.text(data, "key", path, 20)
        if not value or value in taken:
            raise self.refuse(f"{path}.key", _("missing or repeated"))
        return value

    def choice(self, data: dict[str, Any], key: str, path: str, choices: Iterable[Any]) -> Any:
        value = data.get(key)
        for allowed in choices:
            # Of the same type too: JSON's true is not the number 1, nor 1.0 the score 1.
            same_type = (
                isinstance(value, str)
                if isinstance(allowed, str)
                else (type(value) is type(allowed))
            )
            if same_type and value == allowed:
                return value
        raise self.refuse(f"{path}.{key}", _("not one of the allowed values"))

    def ref(self, data: dict[str, Any], key: str, path: str, known: dict[str, Any]) -> Any:
        value = data.get(key)
        if value is None:
            return None
        if not isinstance(value, str) or value not in known:
            raise self.refuse(f"{path}.{key}", _("refers to nothing in the file"))
        return known[value]


def _ratings(reader: _Reader, value: Any, path: str) -> dict[str, dict[str, Any]]:
    ratings = reader.obj(value, path)
    clean: dict[str, dict[str, Any]] = {}
    for phase, rating in ratings.items():
        if phase not in PHASES:
            raise reader.refuse(path, _("not one of the allowed values"))
        item = reader.obj(rating, f"{path}.{phase}")
        clean[phase] = {
            "rating": reader.choice(item, "rating", f"{path}.{phase}", (None, *scales.RATINGS)),
            "comment": reader.text(
                item, "comment", f"{path}.{phase}", QuestionnaireAnswer.COMMENT_MAX_LENGTH
            ),
        }
    return clean


# --- Import ----------------------------------------------------------------------------------


def parse(raw: bytes | str) -> dict[str, Any]:
    """The file's JSON, once it is small enough and well-formed."""
    if len(raw) > MAX_BYTES:
        raise ImportRefused(_("The file is larger than 5 MB."))
    try:
        data = json.loads(raw)
    except (ValueError, RecursionError) as error:
        raise ImportRefused(_("The file is not valid JSON: %(error)s") % {"error": error}) from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise ImportRefused(_("This is not a Gyakusan workshop file."))
    if data.get("version") != VERSION:
        raise ImportRefused(_("This workshop file's version is not supported."))
    return data


def import_workshop(data: dict[str, Any]) -> CreatedWorkshop:
    """A new workshop from a parsed file; nothing is created unless all of it is valid."""
    try:
        return _import(data)
    except (DatabaseError, OverflowError, UnicodeError) as error:
        # What the checks above did not foresee still refuses the file, and rolls back.
        raise ImportRefused(
            _("The file does not fit together: %(error)s") % {"error": str(error)[:200]}
        ) from None


def _import(data: dict[str, Any]) -> CreatedWorkshop:
    r = _Reader()
    with transaction.atomic():
        head = r.obj(data.get("workshop"), "workshop")
        title = r.text(head, "title", "workshop", _max_length(Workshop, "title")) or "—"
        team = r.text(head, "team_name", "workshop", _max_length(Workshop, "team_name")) or "—"
        language = r.choice(head, "language", "workshop", Language.values)
        step = r.choice(head, "step", "workshop", [s.key for s in steps.DAY1])
        created = workshop_create(title=title, team_name=team, language=language)
        workshop = created.workshop
        when = _when(r, head)
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
                display_name=r.text(item, "name", path, _max_length(Participant, "display_name"))
                or "?",
                seat=n,
                refine_role=r.choice(item, "role", path, ["", *refine.RefineRole]),
            )

        persona = data.get("persona")
        if persona is not None:
            persona = r.obj(persona, "persona")
            Persona.objects.create(
                workshop=workshop,
                name=r.text(persona, "name", "persona", _max_length(Persona, "name")),
                description=r.text(
                    persona, "description", "persona", _max_length(Persona, "description")
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
                ratings=_ratings(r, item.get("ratings", {}), f"{path}.ratings"),
            )
    return created


def _when(r: _Reader, head: dict[str, Any]) -> datetime:
    value = r.text(head, "created_at", "workshop", 40)
    try:
        moment = datetime.fromisoformat(value)
        moment = moment if timezone.is_aware(moment) else timezone.make_aware(moment)
    except (ValueError, OverflowError):
        raise r.refuse("workshop.created_at", _("not a date and time")) from None
    if not EARLIEST_YEAR <= moment.year <= LATEST_YEAR:
        raise r.refuse("workshop.created_at", _("not a date and time"))
    return moment


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
    r: _Reader,
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
                name=r.text(group, "name", gpath, _max_length(NoteGroup, "name")),
                score=r.choice(group, "score", gpath, (None, *scales.SCALE)),
            )
            group_stamps.append((groups[key].pk, clock.tick()))
        own_groups = {k: v for k, v in groups.items() if v.board_id == board.pk}
        given: set[tuple[int, int]] = set()  # (author, points): each value once per side
        for n, note in enumerate(r.items(item.get("notes", []), f"{path}.notes")):
            npath = f"{path}.notes[{n}]"
            note = r.obj(note, npath)
            author = r.ref(note, "author", npath, people)
            text = r.text(note, "text", npath, _max_length(Note, "text"))
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
                influence=r.text(note, "influence", npath, _max_length(Note, "influence")),
                situation=r.text(note, "situation", npath, _max_length(Note, "situation")),
                is_assumption=r.choice(note, "assumption", npath, (True, False)),
                points=points,
                group=r.ref(note, "group", npath, own_groups),
            )
            stamps.append((created.pk, clock.tick()))
    _stamp(NoteGroup, group_stamps, "created_at")
    _stamp(Note, stamps, "created_at")
    return groups


def _import_invent(
    r: _Reader,
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
        slots = {slot: r.text(item, slot, path, _max_length(Idea, slot)) for slot in SLOT_KEYS}
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
            reason=r.text(section, "reason", "invent", _max_length(Invent, "reason")),
        )


def _import_proposal(r: _Reader, data: dict[str, Any], workshop: Workshop) -> None:
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
            text=r.text(summary, slot, "proposal.summary", _max_length(SummarySlot, "text")),
        )
    for kind in (EntryKind.FAQ, EntryKind.DEMO):
        for n, item in enumerate(r.items(section.get(kind, []), f"proposal.{kind}")):
            path = f"proposal.{kind}[{n}]"
            item = r.obj(item, path)
            text = r.text(item, "text", path, _max_length(ProposalEntry, "text"))
            if not text:
                raise r.refuse(f"{path}.text", _("missing or repeated"))
            ProposalEntry.objects.create(
                id=uuid.uuid4(),
                workshop=workshop,
                kind=kind,
                text=text,
                answer=(
                    r.text(item, "answer", path, _max_length(ProposalEntry, "answer"))
                    if kind == EntryKind.FAQ
                    else ""
                ),
                red=r.choice(item, "red", path, (True, False)),
                position=n,
            )


def _import_plan(r: _Reader, data: dict[str, Any], workshop: Workshop) -> None:
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
            text=r.text(item, "text", path, _max_length(PlanCell, "text")),
        )
