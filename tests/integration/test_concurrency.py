"""Writes racing on PostgreSQL, for real: threads with their own connections move, add and
delete proposal entries at once, and save one summary slot on one version.

Run on the database of DATABASE_URL (scripts/test.sh points it at PostgreSQL in its own pytest
invocation); elsewhere these tests skip, or fail when GYAKUSAN_REQUIRE_SERVICES=true.
"""

from __future__ import annotations

import random
import threading
import uuid
from collections.abc import Callable

import pytest
from django.db import connection

from sessions.access import Actor, Role
from sessions.models import ProposalEntry, Workshop
from sessions.services import refine as services
from sessions.services.participants import participant_join
from sessions.services.room import step_go
from sessions.services.versions import EditConflict
from sessions.services.workshops import workshop_create
from tests.services import unavailable

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def on_postgres() -> None:
    # Unreachable PostgreSQL is skipped at collection (tests/conftest.py), before the database
    # is set up; here only the vendor is left to check.
    if connection.vendor != "postgresql":
        unavailable("these tests race real transactions: run them with DATABASE_URL=postgres://…")


def _race(workers: list[Callable[[], None]]) -> list[BaseException]:
    """Run every worker at once, each on its own connection; the errors they raised."""
    start = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def run(work: Callable[[], None]) -> None:
        try:
            start.wait()
            work()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return errors


def _team() -> tuple[Workshop, Actor, Actor]:
    workshop = workshop_create(title="並行編集", team_name="チーム", language="ja").workshop
    facilitator = Actor(workshop, Role.FACILITATOR)
    step_go(actor=facilitator, to="refine-roles")
    person = participant_join(workshop=workshop, display_name="開発 太郎")
    services.role_assign(actor=facilitator, participant_id=person.pk, role="developer")
    return workshop, facilitator, Actor(workshop, Role.PARTICIPANT, person)


def test_concurrent_moves_adds_and_deletes_keep_one_total_order(on_postgres: None) -> None:
    workshop, facilitator, developer = _team()
    ids = []
    for number in range(8):
        entry = services.entry_add(
            actor=developer, entry_id=uuid.uuid4(), kind="demo", text=f"手順 {number}"
        )
        ids.append(entry.pk)
    doomed = ids[-2:]

    def mover(actor: Actor, seed: int) -> Callable[[], None]:
        def work() -> None:
            rng = random.Random(seed)
            for _ in range(15):
                moved = rng.choice(ids[:-2])
                if rng.random() < 0.5:
                    services.entry_move(actor=actor, entry_id=moved, delta=rng.choice((-1, 1)))
                else:
                    after = rng.choice([None, *ids])  # may be deleted meanwhile
                    services.entry_move(actor=actor, entry_id=moved, after=after)

        return work

    def adder() -> None:
        for number in range(5):
            services.entry_add(
                actor=developer, entry_id=uuid.uuid4(), kind="demo", text=f"追加 {number}"
            )

    def deleter() -> None:
        for entry_id in doomed:
            services.entry_delete(actor=facilitator, entry_id=entry_id)

    errors = _race(
        [mover(developer, 1), mover(facilitator, 2), mover(developer, 3), adder, deleter]
    )
    assert errors == []
    entries = list(ProposalEntry.objects.filter(workshop=workshop, kind="demo"))
    assert [entry.position for entry in entries] == list(range(8 - 2 + 5))
    assert {entry.pk for entry in entries} >= set(ids[:-2])


def test_one_slot_saved_at_once_on_one_version_keeps_exactly_one(on_postgres: None) -> None:
    workshop, facilitator, developer = _team()
    assert developer.participant is not None
    services.role_assign(actor=facilitator, participant_id=developer.participant.pk, role="planner")
    saved: list[str] = []

    def writer(text: str, actor: Actor) -> Callable[[], None]:
        def work() -> None:
            try:
                services.summary_slot_save(actor=actor, slot="customer", text=text, version=0)
                saved.append(text)
            except EditConflict:
                pass

        return work

    errors = _race([writer("中小企業", developer), writer("個人事業主", facilitator)])
    assert errors == []
    assert len(saved) == 1
    assert workshop.summary_slots.get().text == saved[0]
