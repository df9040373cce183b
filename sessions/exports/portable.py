"""A whole workshop as JSON: Day 2 can run on another server (read back by portable_import).

The export names everything by keys local to the file (p1 for the participant in seat 1, g1, i1
for groups and ideas in their order), never by database ids, and leaves out what a server makes
(join code, secret link, versions, the event log). Importing that file and exporting the new
workshop again gives the same JSON.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from sessions.models import (
    Board,
    Idea,
    Invent,
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
from sessions.rules import plan, refine
from sessions.rules.boards import BoardKind
from sessions.rules.invent import SLOT_KEYS
from sessions.rules.refine import EntryKind

FORMAT = "gyakusan.workshop"
VERSION = 1
BOARD_ORDER = (BoardKind.CUSTOMER, BoardKind.CUSTOMER_PROBLEMS, BoardKind.BUSINESS_PROBLEMS)


# --- Export ----------------------------------------------------------------------------------


def export_workshop(workshop: Workshop) -> dict[str, Any]:
    people = list(Participant.objects.filter(workshop=workshop).order_by("seat"))
    person = {p.pk: f"p{p.seat}" for p in people}
    boards = sorted(
        Board.objects.filter(workshop=workshop), key=lambda b: BOARD_ORDER.index(BoardKind(b.kind))
    )
    # Numbered in the file's order (board by board), which is the order an import creates them.
    groups = sorted(
        NoteGroup.objects.filter(board__workshop=workshop).select_related("board"),
        key=lambda g: (BOARD_ORDER.index(BoardKind(g.board.kind)), g.created_at, str(g.pk)),
    )
    group = {g.pk: f"g{n}" for n, g in enumerate(groups, start=1)}
    notes = list(Note.objects.filter(board__workshop=workshop).order_by("created_at", "id"))
    ideas = list(Idea.objects.filter(workshop=workshop).order_by("created_at", "id"))
    idea = {i.pk: f"i{n}" for n, i in enumerate(ideas, start=1)}
    shared = sorted((i for i in ideas if i.shared_at), key=lambda i: (i.shared_at, idea[i.pk]))
    invent = Invent.objects.filter(workshop=workshop).first()
    persona = Persona.objects.filter(workshop=workshop).first()
    proposal = Proposal.objects.filter(workshop=workshop).first()
    entries = list(ProposalEntry.objects.filter(workshop=workshop))

    def entry_list(kind: str) -> list[dict[str, Any]]:
        return [
            {
                "text": e.text,
                **({"answer": e.answer} if kind == EntryKind.FAQ else {}),
                "red": e.red,
            }
            for e in entries
            if e.kind == kind
        ]

    cells = {(c.column, c.row): c.text for c in PlanCell.objects.filter(workshop=workshop)}
    answers = QuestionnaireAnswer.objects.filter(participant__workshop=workshop)
    answer_of = {a.participant_id: a for a in answers}
    return {
        "format": FORMAT,
        "version": VERSION,
        "workshop": {
            "title": workshop.title,
            "team_name": workshop.team_name,
            "language": workshop.language,
            "step": workshop.step_key,
            "created_at": workshop.created_at.isoformat(),
        },
        "participants": [
            {"key": person[p.pk], "name": p.display_name, "role": p.refine_role} for p in people
        ],
        "persona": {"name": persona.name, "description": persona.description} if persona else None,
        "boards": [
            {
                "kind": b.kind,
                "revealed": b.revealed,
                "owner": person.get(b.owner_id) if b.owner_id else None,
                "groups": [
                    {"key": group[g.pk], "cell": g.cell, "name": g.name, "score": g.score}
                    for g in groups
                    if g.board_id == b.pk
                ],
                "notes": [
                    {
                        "author": person[n.author_id],
                        "cell": n.cell,
                        "text": n.text,
                        "influence": n.influence,
                        "situation": n.situation,
                        "assumption": n.is_assumption,
                        "points": n.points,
                        "group": group.get(n.group_id) if n.group_id else None,
                    }
                    for n in notes
                    if n.board_id == b.pk
                ],
            }
            for b in boards
        ],
        "invent": {
            "ideas": [
                {
                    "key": idea[i.pk],
                    "author": person[i.author_id],
                    **{slot: getattr(i, slot) for slot in SLOT_KEYS},
                    "shared": shared.index(i) + 1 if i.shared_at else None,
                }
                for i in ideas
            ],
            "marks": sorted(
                [idea[m.idea_id], person[m.participant_id], group[m.group_id], m.value]
                for m in Mark.objects.filter(idea__workshop=workshop)
            ),
            "picks": sorted(
                [person[p.participant_id], idea[p.idea_id]]
                for p in Pick.objects.filter(idea__workshop=workshop)
            ),
            "staged": idea.get(invent.staged_id) if invent and invent.staged_id else None,
            "revealed": bool(invent and invent.revealed),
            "winner": idea.get(invent.winner_id) if invent and invent.winner_id else None,
            "decided_by": invent.decided_by if invent else "",
            "tied": [idea[uuid.UUID(t)] for t in invent.tied if uuid.UUID(t) in idea]
            if invent
            else [],
            "reason": invent.reason if invent else "",
            "ruled_winner": idea.get(invent.ruled_winner_id)
            if invent and invent.ruled_winner_id
            else None,
            "ruled_by": invent.ruled_by if invent else "",
        },
        "proposal": {
            "reading": proposal.reading if proposal else "",
            "summary": {
                s.slot: s.text
                for s in sorted(
                    SummarySlot.objects.filter(workshop=workshop),
                    key=lambda s: refine.SLOT_KEYS.index(s.slot),
                )
            },
            "faq": entry_list(EntryKind.FAQ),
            "demo": entry_list(EntryKind.DEMO),
        },
        "plan": [
            {"column": column, "row": row, "text": cells[(column, row)]}
            for column, _c in plan.COLUMNS
            for row, _r in plan.ROWS
            if (column, row) in cells
        ],
        "questionnaire": [
            {
                "participant": person[p.pk],
                "go_straight": answer_of[p.pk].go_straight,
                "ratings": answer_of[p.pk].ratings,
            }
            for p in people
            if p.pk in answer_of
        ],
    }


def export_json(workshop: Workshop) -> str:
    return json.dumps(export_workshop(workshop), ensure_ascii=False, indent=2) + "\n"
