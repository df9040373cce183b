"""Named actors for every test: a workshop, its facilitator, alice, bob and an outsider."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.cache import cache
from django.test import Client

from sessions.access import (
    Actor,
    Role,
    grant_facilitator,
    grant_projector,
    projector_token,
    remember_participant,
)
from sessions.exports.demo import demo_workshop
from sessions.exports.portable_import import import_workshop
from sessions.models import Participant, Workshop
from sessions.services.participants import participant_join
from sessions.services.workshops import CreatedWorkshop, workshop_create
from tests import services
from tests.actions import Cast
from tests.documents import HOSTILE_NOTE


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Skip the PostgreSQL races, with the reason, where PostgreSQL is not there to set up
    (unless GYAKUSAN_REQUIRE_SERVICES=true: then they run, and fail)."""
    racing = [item for item in items if item.get_closest_marker("postgres")]
    if not racing or services.required():
        return
    reason = services.postgres_missing()
    if reason:
        for item in racing:
            item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(autouse=True)
def _fresh_cache() -> Iterator[None]:
    cache.clear()  # rate-limit counters must not leak between tests
    yield
    cache.clear()


@pytest.fixture
def created(db: None) -> CreatedWorkshop:
    return workshop_create(
        title="AI機能企画ワークショップ", team_name="学習アプリチーム", language="ja"
    )


@pytest.fixture
def workshop(created: CreatedWorkshop) -> Workshop:
    return created.workshop


@pytest.fixture
def other_workshop(db: None) -> CreatedWorkshop:
    return workshop_create(title="別のワークショップ", team_name="別チーム", language="ja")


@pytest.fixture
def facilitator(workshop: Workshop) -> Actor:
    return Actor(workshop, Role.FACILITATOR)


@pytest.fixture
def projector(workshop: Workshop) -> Actor:
    return Actor(workshop, Role.PROJECTOR)


@pytest.fixture
def alice_participant(workshop: Workshop) -> Participant:
    return participant_join(workshop=workshop, display_name="有栖 アリス")


@pytest.fixture
def bob_participant(workshop: Workshop) -> Participant:
    return participant_join(workshop=workshop, display_name="坊 ボブ")


@pytest.fixture
def alice(alice_participant: Participant) -> Actor:
    return Actor(alice_participant.workshop, Role.PARTICIPANT, alice_participant)


@pytest.fixture
def bob(bob_participant: Participant) -> Actor:
    return Actor(bob_participant.workshop, Role.PARTICIPANT, bob_participant)


@pytest.fixture
def facilitator_client(created: CreatedWorkshop) -> Client:
    client = Client()
    session = client.session
    grant_facilitator(session, created.workshop, created.facilitator_token)
    session.save()
    return client


@pytest.fixture
def projector_client(workshop: Workshop) -> Client:
    """The projector laptop: it opened the projector's link, and holds nothing else."""
    client = Client()
    session = client.session
    grant_projector(session, workshop, projector_token(workshop))
    session.save()
    return client


def _browser_of(participant: Participant) -> Client:
    client = Client()
    session = client.session
    remember_participant(session, participant)
    session.save()
    return client


@pytest.fixture
def alice_client(alice_participant: Participant) -> Client:
    return _browser_of(alice_participant)


@pytest.fixture
def bob_client(bob_participant: Participant) -> Client:
    return _browser_of(bob_participant)


@pytest.fixture
def outsider_client(db: None) -> Client:
    return Client()


@pytest.fixture(autouse=True)
def _empty_channel_layer(request: pytest.FixtureRequest) -> Iterator[None]:
    from asgiref.sync import async_to_sync
    from channels.layers import get_channel_layer

    if request.node.get_closest_marker("browser"):
        yield  # browser tests talk to a server process, and Playwright owns the event loop
        return
    layer = get_channel_layer()
    async_to_sync(layer.flush)()
    yield
    async_to_sync(layer.flush)()


@pytest.fixture
def cast(
    workshop: Workshop,
    facilitator: Actor,
    alice: Actor,
    bob: Actor,
    facilitator_client: Client,
    alice_client: Client,
    bob_client: Client,
    outsider_client: Client,
    projector_client: Client,
) -> Cast:
    """The workshop and everyone around it, for the actions of tests/actions/."""
    browsers = {
        "facilitator": facilitator_client,
        "alice": alice_client,
        "bob": bob_client,
        "outsider": outsider_client,
        "projector": projector_client,
    }
    return Cast(workshop, facilitator, alice, bob, browsers)


@pytest.fixture
def pushes(workshop: Workshop):
    from tests.pushes import PushRecorder

    return PushRecorder(workshop.pk)


@pytest.fixture
def demo(db: None) -> Workshop:
    """The demo workshop, one of whose notes is hostile markup."""
    data = demo_workshop()
    data["boards"][0]["notes"][0]["text"] = HOSTILE_NOTE
    return import_workshop(data).workshop
