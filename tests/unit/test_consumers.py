"""The WebSocket pipe: who may connect, what they get, and what they may send."""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import AsyncIterator, Callable

import pytest
from channels.db import database_sync_to_async
from channels.layers import InMemoryChannelLayer, get_channel_layer
from channels.testing import WebsocketCommunicator
from django.contrib.sessions.backends.db import SessionStore
from django.core.asgi import get_asgi_application
from django.core.cache import cache

from sessions import consumers
from sessions.access import (
    Actor,
    grant_facilitator,
    grant_projector,
    projector_token,
    remember_participant,
)
from sessions.live import publisher
from sessions.models import Board, NoteGroup, Participant, TimerState, Workshop
from sessions.rules import steps
from sessions.rules.invent import SLOT_KEYS
from sessions.services import boards as board_services
from sessions.services import invent as invent_services
from sessions.services.room import step_go
from sessions.services.workshops import CreatedWorkshop
from workshop.routing import build_application

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
async def _pushes_sent() -> AsyncIterator[None]:
    """What a test wrote is pushed before its database goes: no render outlives the test."""
    yield
    await publisher.settled()


APPLICATION = build_application(get_asgi_application())
ORIGIN = (b"origin", b"http://testserver")


def _session_cookie(setup: Callable[[SessionStore], None]) -> tuple[bytes, bytes]:
    session = SessionStore()
    setup(session)
    session.save()
    return (b"cookie", f"sessionid={session.session_key}".encode())


@pytest.fixture
def facilitator_cookie(created: CreatedWorkshop) -> tuple[bytes, bytes]:
    return _session_cookie(
        lambda s: grant_facilitator(s, created.workshop, created.facilitator_token)
    )


@pytest.fixture
def alice_cookie(alice_participant: Participant) -> tuple[bytes, bytes]:
    return _session_cookie(lambda s: remember_participant(s, alice_participant))


@pytest.fixture
def bob_cookie(bob_participant: Participant) -> tuple[bytes, bytes]:
    return _session_cookie(lambda s: remember_participant(s, bob_participant))


def _socket(workshop: Workshop, role: str, *headers: tuple[bytes, bytes]) -> WebsocketCommunicator:
    return WebsocketCommunicator(
        APPLICATION, f"/ws/rooms/{workshop.join_code}/{role}/", headers=list(headers)
    )


async def _refused(socket: WebsocketCommunicator) -> bool:
    """Accepted, then closed with 4403: the browser sees the code, and does not retry."""
    connected, _ = await socket.connect()
    if not connected:
        return False
    closed = await socket.receive_output(timeout=3)
    return closed == {"type": "websocket.close", "code": 4403}


async def _open(*sockets: WebsocketCommunicator) -> None:
    """Connect each socket and wait for its snapshot (once what was written before has been
    pushed: the sockets hear only what follows)."""
    await publisher.settled()
    for socket in sockets:
        assert (await socket.connect())[0]
        await _receive_until(socket, "data-snapshot")
    # A socket's own arrival (its presence) is pushed after its snapshot, with a sequence
    # number the snapshot already has: a page drops it (live.js), and so does the test.
    await publisher.settled()
    for socket in sockets:
        while not await socket.receive_nothing(timeout=0.05):
            await socket.receive_from()


async def _receive_until(socket: WebsocketCommunicator, marker: str) -> str:
    for _ in range(20):
        message = await socket.receive_from(timeout=3)
        if marker in message:
            return message
    raise AssertionError(f"no message with {marker!r}")


async def test_every_connection_starts_with_a_snapshot(
    workshop: Workshop, alice_cookie: tuple[bytes, bytes]
) -> None:
    socket = _socket(workshop, "participant", ORIGIN, alice_cookie)
    connected, _ = await socket.connect()
    assert connected
    snapshot = await socket.receive_from()
    assert snapshot.startswith('<div id="live-seq"')
    assert "data-snapshot" in snapshot
    for part in ('id="agenda"', 'id="step"', 'id="timer"', 'id="participants"'):
        assert part in snapshot
    assert "有栖 アリス" in snapshot
    await socket.disconnect()


async def test_a_step_change_reaches_each_audience_in_its_own_form(
    workshop: Workshop,
    facilitator: Actor,
    facilitator_cookie: tuple[bytes, bytes],
    alice_cookie: tuple[bytes, bytes],
) -> None:
    console = _socket(workshop, "facilitator", ORIGIN, facilitator_cookie)
    projector = _socket(workshop, "projector", ORIGIN, facilitator_cookie)
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    await _open(console, projector, laptop)
    await database_sync_to_async(step_go)(actor=facilitator, delta=1)
    title = "顧客は誰か？"
    on_console = await _receive_until(console, title)
    on_projector = await _receive_until(projector, title)
    on_laptop = await _receive_until(laptop, title)
    assert 'id="step-next"' in on_console
    assert 'id="step-next"' not in on_projector and 'id="step-next"' not in on_laptop
    for socket in (console, projector, laptop):
        await socket.disconnect()


async def test_a_participant_going_online_and_offline_is_pushed(
    workshop: Workshop, facilitator_cookie: tuple[bytes, bytes], alice_cookie: tuple[bytes, bytes]
) -> None:
    console = _socket(workshop, "facilitator", ORIGIN, facilitator_cookie)
    await _open(console)
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    await laptop.connect()
    # Her row and the count alone, not the whole list (issue 11).
    alice = await database_sync_to_async(Participant.objects.get)(display_name="有栖 アリス")
    online = await _receive_until(console, f'id="participant-{alice.pk}"')
    assert 'id="participants"' not in online
    assert "オンライン" in online and "1 人中 1 人オンライン" in online
    await laptop.disconnect()
    offline = await _receive_until(console, f'id="participant-{alice.pk}"')
    assert "1 人中 0 人オンライン" in offline and "オフライン" in offline
    await console.disconnect()


@pytest.mark.parametrize(
    "origin",
    [(b"origin", b"http://evil.example"), None],
    ids=["foreign origin", "missing origin"],
)
async def test_sockets_from_a_foreign_or_missing_origin_are_refused(
    workshop: Workshop, alice_cookie: tuple[bytes, bytes], origin: tuple[bytes, bytes] | None
) -> None:
    headers = [alice_cookie] + ([origin] if origin else [])
    socket = _socket(workshop, "participant", *headers)
    connected, _ = await socket.connect()
    assert not connected


async def test_strangers_and_participants_cannot_open_the_facilitators_sockets(
    workshop: Workshop, alice_cookie: tuple[bytes, bytes]
) -> None:
    for role, headers in [
        ("participant", [ORIGIN]),
        ("facilitator", [ORIGIN, alice_cookie]),
        ("projector", [ORIGIN, alice_cookie]),
        ("owner", [ORIGIN, alice_cookie]),
    ]:
        assert await _refused(_socket(workshop, role, *headers)), role


@pytest.fixture
def projector_cookie(workshop: Workshop) -> tuple[bytes, bytes]:
    """The projector laptop's: it opened the projector's link."""
    return _session_cookie(lambda s: grant_projector(s, workshop, projector_token(workshop)))


async def test_the_projectors_link_opens_the_projectors_socket_only(
    workshop: Workshop, projector_cookie: tuple[bytes, bytes]
) -> None:
    projector = _socket(workshop, "projector", ORIGIN, projector_cookie)
    await _open(projector)
    await projector.disconnect()
    for role in ("facilitator", "participant"):
        assert await _refused(_socket(workshop, role, ORIGIN, projector_cookie)), role


async def test_a_participant_of_another_workshop_cannot_connect(
    other_workshop: CreatedWorkshop, alice_cookie: tuple[bytes, bytes]
) -> None:
    assert await _refused(_socket(other_workshop.workshop, "participant", ORIGIN, alice_cookie))


async def test_the_socket_only_listens_a_command_frame_changes_nothing(
    workshop: Workshop,
    alice_cookie: tuple[bytes, bytes],
    facilitator_cookie: tuple[bytes, bytes],
) -> None:
    """Every write is an HTTP post; whoever sends a write over the socket, nothing happens."""
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    console = _socket(workshop, "facilitator", ORIGIN, facilitator_cookie)
    await _open(laptop, console)
    for socket in (laptop, console):
        for frame in (
            {"type": "command", "name": "step", "delta": 1},
            {"type": "command", "name": "timer", "action": "start"},
        ):
            await socket.send_to(text_data=json.dumps(frame))
        await socket.send_to(text_data=json.dumps({"type": "ping"}))
        assert "live-pong" in await _receive_until(socket, "live-pong")  # still open, still fine
    reloaded = await database_sync_to_async(Workshop.objects.get)(pk=workshop.pk)
    assert (reloaded.step_key, reloaded.timer_state) == (steps.FIRST.key, TimerState.IDLE)
    await laptop.disconnect()
    await console.disconnect()


async def test_a_client_that_saw_a_gap_gets_a_snapshot(
    workshop: Workshop, alice_cookie: tuple[bytes, bytes]
) -> None:
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    await _open(laptop)
    await laptop.send_to(text_data=json.dumps({"type": "resync"}))
    assert (await _receive_until(laptop, "data-snapshot")).startswith('<div id="live-seq"')
    await laptop.disconnect()


async def test_heartbeats_are_answered_with_the_servers_clock(
    workshop: Workshop, alice_cookie: tuple[bytes, bytes]
) -> None:
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    await _open(laptop)
    await laptop.send_to(text_data=json.dumps({"type": "ping"}))
    pong = await _receive_until(laptop, "live-pong")
    assert 'data-server-now="' in pong
    await laptop.send_to(text_data="not json")  # ignored, the socket stays open
    await laptop.send_to(text_data=json.dumps({"type": "ping"}))
    assert "live-pong" in await _receive_until(laptop, "live-pong")
    await laptop.disconnect()


async def test_a_private_note_reaches_its_author_only_and_reveal_shows_it_to_all(
    workshop: Workshop,
    facilitator: Actor,
    alice: Actor,
    bob_cookie: tuple[bytes, bytes],
    facilitator_cookie: tuple[bytes, bytes],
    alice_cookie: tuple[bytes, bytes],
) -> None:
    await database_sync_to_async(step_go)(actor=facilitator, to="listen-individual")
    sockets = {
        "console": _socket(workshop, "facilitator", ORIGIN, facilitator_cookie),
        "projector": _socket(workshop, "projector", ORIGIN, facilitator_cookie),
        "alice": _socket(workshop, "participant", ORIGIN, alice_cookie),
        "bob": _socket(workshop, "participant", ORIGIN, bob_cookie),
    }
    await _open(*sockets.values())
    await database_sync_to_async(board_services.note_create)(
        actor=alice, note_id=uuid.uuid4(), kind="customer", text="秘密の事実", cell="customer-facts"
    )
    mine = await _receive_until(sockets["alice"], "秘密の事実")
    assert mine.startswith('<div id="live-seq-private"')
    for name in ("console", "projector", "bob"):
        counts = await _receive_until(sockets[name], "note-counts-customer")
        assert "秘密の事実" not in counts
        assert "有栖 アリス" in counts  # who wrote how many
    # Nothing else reached them with the text either.
    for name in ("console", "projector", "bob"):
        assert await sockets[name].receive_nothing(timeout=0.3)
    await database_sync_to_async(board_services.boards_reveal)(
        actor=facilitator, kinds=("customer",)
    )
    for socket in sockets.values():
        assert "秘密の事実" in await _receive_until(socket, "秘密の事実")
    for socket in sockets.values():
        await socket.disconnect()


async def test_a_mark_reaches_its_author_only_until_the_reveal(
    workshop: Workshop,
    facilitator: Actor,
    alice: Actor,
    bob_cookie: tuple[bytes, bytes],
    facilitator_cookie: tuple[bytes, bytes],
    alice_cookie: tuple[bytes, bytes],
) -> None:
    def setup() -> tuple[uuid.UUID, uuid.UUID]:
        board = Board.objects.create(workshop=workshop, kind="customer_problems", revealed=True)
        group = NoteGroup.objects.create(id=uuid.uuid4(), board=board, name="入力負担", score=8)
        step_go(actor=facilitator, to="invent-share")
        idea = invent_services.idea_save(
            actor=alice,
            idea_id=uuid.uuid4(),
            slots=dict.fromkeys(SLOT_KEYS, "自動仕分け"),
        )
        invent_services.idea_share(actor=alice, idea_id=idea.pk)
        invent_services.idea_stage(actor=facilitator, idea_id=idea.pk)
        return idea.pk, group.pk

    idea_id, group_id = await database_sync_to_async(setup)()
    console = _socket(workshop, "facilitator", ORIGIN, facilitator_cookie)
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    other = _socket(workshop, "participant", ORIGIN, bob_cookie)
    await _open(console, laptop, other)
    await database_sync_to_async(invent_services.mark_set)(
        actor=alice, idea_id=idea_id, group_id=group_id, value="solves"
    )
    mine = await _receive_until(laptop, 'id="my-score"')
    assert mine.startswith('<div id="live-seq-private"') and 'id="my-score">8<' in mine
    seen_by_console = await _receive_until(console, "1 人が評価しました")
    assert 'value="solves" checked' not in seen_by_console
    seen_by_bob = []
    while not await other.receive_nothing(timeout=0.3):
        seen_by_bob.append(await other.receive_from())
    assert seen_by_bob  # the mark's event reached Bob's screen as a sequence number …
    assert not any('value="solves" checked' in message for message in seen_by_bob)  # … alone
    for socket in (console, laptop, other):
        await socket.disconnect()


async def test_malformed_oversized_or_unexpected_frames_are_ignored_without_a_traceback(
    workshop: Workshop, alice_cookie: tuple[bytes, bytes], caplog: pytest.LogCaptureFixture
) -> None:
    """Whatever a client sends, the socket stays open and nothing is logged as an error: the
    only frames that mean anything are a heartbeat and a resync request."""
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    await _open(laptop)
    deep = "[" * 100_000 + "]" * 100_000  # json.loads raises RecursionError, not a ValueError
    for frame in (
        deep,
        "1" * 5_000,  # more digits than int() converts: a plain ValueError
        json.dumps({"type": "ping", "padding": "x" * 100_000}),
        json.dumps({"type": ["ping"]}),
        json.dumps("ping"),
        "null",
    ):
        await laptop.send_to(text_data=frame)
    await laptop.send_to(bytes_data=b'{"type": "ping"}')
    await laptop.send_to(text_data=json.dumps({"type": "ping"}))
    assert "live-pong" in await _receive_until(laptop, "live-pong")
    assert await laptop.receive_nothing(timeout=0.2)  # one answer: the real heartbeat's
    assert [r for r in caplog.records if r.levelname in ("ERROR", "CRITICAL")] == []
    await laptop.disconnect()


class FakeClock:
    """The consumer's clock, moved by the test instead of by sleeping."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def fake_clock(monkeypatch: pytest.MonkeyPatch) -> FakeClock:
    fake = FakeClock()
    monkeypatch.setattr(consumers, "clock", fake, raising=False)
    return fake


async def _pongs(socket: WebsocketCommunicator) -> int:
    """How many heartbeat answers arrive before the socket goes quiet."""
    count = 0
    while not await socket.receive_nothing(timeout=0.2):
        count += "live-pong" in await socket.receive_from()
    return count


def test_every_close_code_of_the_consumer_is_one_daphne_can_send() -> None:
    """autobahn, under daphne, raises on a server close with any code but 1000 or 3000-4999
    (the communicator does not): a 1008 or 1011 of ours would end in a traceback instead."""
    codes = {name: code for name, code in vars(consumers).items() if name.startswith("CLOSE_")}
    assert codes and all(code == 1000 or 3000 <= code <= 4999 for code in codes.values()), codes


async def test_a_flooding_socket_is_cut_to_its_budget_then_closed_with_4008(
    workshop: Workshop, alice_cookie: tuple[bytes, bytes], fake_clock: FakeClock
) -> None:
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    await _open(laptop)
    ping = json.dumps({"type": "ping"})
    for _ in range(consumers.FRAMES_BURST + 5):  # all at one instant
        await laptop.send_to(text_data=ping)
    assert await _pongs(laptop) == consumers.FRAMES_BURST  # the rest dropped, still open
    for _ in range(consumers.FRAMES_PAST_BUDGET):
        await laptop.send_to(text_data=ping)
    closed = await laptop.receive_output(timeout=3)
    assert closed == {"type": "websocket.close", "code": consumers.CLOSE_FLOODING}


async def test_heartbeats_and_the_odd_resync_fit_well_inside_the_budget(
    workshop: Workshop, facilitator_cookie: tuple[bytes, bytes], fake_clock: FakeClock
) -> None:
    """The console beats fastest (it sweeps presence): every 4 s, for ten minutes."""
    console = _socket(workshop, "facilitator", ORIGIN, facilitator_cookie)
    await _open(console)
    for beat in range(150):
        fake_clock.now += 4
        if beat % 10 == 0:
            await console.send_to(text_data=json.dumps({"type": "resync"}))
            await _receive_until(console, "data-snapshot")
        await console.send_to(text_data=json.dumps({"type": "ping"}))
        await _receive_until(console, "live-pong")
    await console.disconnect()


async def test_a_resync_while_one_is_being_rendered_is_dropped_and_pushes_wait_behind_it(
    workshop: Workshop,
    facilitator: Actor,
    alice_cookie: tuple[bytes, bytes],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    await _open(laptop)
    rendering, release = threading.Event(), threading.Event()
    render = consumers._render_snapshot

    def slow_render(actor: Actor) -> str:
        rendering.set()
        release.wait(timeout=10)
        return render(actor)

    monkeypatch.setattr(consumers, "_render_snapshot", slow_render)
    try:
        for _ in range(3):
            await laptop.send_to(text_data=json.dumps({"type": "resync"}))
        # The socket still answers while the first snapshot is being rendered …
        await laptop.send_to(text_data=json.dumps({"type": "ping"}))
        await _receive_until(laptop, "live-pong")
        assert rendering.is_set()
        # … and a push that arrives meanwhile waits: sent now, the snapshot would overwrite it.
        await database_sync_to_async(step_go, thread_sensitive=False)(actor=facilitator, delta=1)
        assert await laptop.receive_nothing(timeout=0.3)
    finally:
        release.set()
    received = [await laptop.receive_from(timeout=3)]
    while not await laptop.receive_nothing(timeout=0.3):
        received.append(await laptop.receive_from())
    assert ["data-snapshot" in message for message in received] == [True, False]
    assert "顧客は誰か？" in received[1]
    await laptop.disconnect()


async def test_a_strangers_socket_lookups_count_like_page_lookups(workshop: Workshop) -> None:
    """A socket names a code too: a stranger's attempts count against their address like a
    page's lookups (each refused alike, for a live code or an unknown one)."""
    for _ in range(3):
        assert await _refused(_socket(workshop, "participant", ORIGIN))
    assert cache.get("join-attempts:unknown") == 3  # the communicator's scope has no client


async def test_a_socket_dropped_from_its_groups_hears_again_after_its_next_heartbeat(
    workshop: Workshop, facilitator: Actor, alice_cookie: tuple[bytes, bytes]
) -> None:
    """The in-memory layer drops a channel from every group when one of its messages expires
    (a Redis hiccup can too): the socket stays open, answers pings, and would never get a push
    again. Each heartbeat joins the socket's groups again, and its answer says how far the room
    is, so that a page that missed pushes meanwhile asks for a snapshot (live.js)."""
    laptop = _socket(workshop, "participant", ORIGIN, alice_cookie)
    await _open(laptop)
    layer = get_channel_layer()
    assert isinstance(layer, InMemoryChannelLayer)
    for members in layer.groups.values():  # what an expired message does to its channel
        members.clear()
    await database_sync_to_async(step_go)(actor=facilitator, delta=1)
    await publisher.settled()  # missed
    await laptop.send_to(text_data=json.dumps({"type": "ping"}))
    pong = await _receive_until(laptop, "live-pong")
    seq = (await database_sync_to_async(Workshop.objects.get)(pk=workshop.pk)).seq
    assert f'data-seq="{seq}"' in pong  # the page knows it is behind
    await database_sync_to_async(step_go)(actor=facilitator, delta=1)
    heard = await _receive_until(laptop, "live-seq")
    assert f'data-seq="{seq + 1}"' in heard
    await laptop.disconnect()
