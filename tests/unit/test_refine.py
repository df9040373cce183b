"""Refine: roles and their permissions, the summary prefilled from the winner, entries kept in
one total order, version conflicts, the read-aloud, and the concerns counted for Day 2."""

from __future__ import annotations

import uuid
from collections import Counter
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from sessions import live
from sessions.access import Actor, Role
from sessions.models import Idea, Invent, Participant, ProposalEntry, Workshop
from sessions.rules import refine
from sessions.selectors.questionnaire import measured_signals
from sessions.selectors.refine import refine_view
from sessions.services import refine as services
from sessions.services.events import InvalidAction
from sessions.services.participants import participant_join, presence_open
from sessions.services.room import step_go
from sessions.services.versions import EditConflict
from tests.pushes import PushRecorder


@pytest.fixture
def at_roles(facilitator: Actor) -> None:
    step_go(actor=facilitator, to="refine-roles")


@pytest.fixture
def planner(alice: Actor, facilitator: Actor) -> Actor:
    services.role_assign(actor=facilitator, participant_id=_pk(alice), role="planner")
    return alice


@pytest.fixture
def sales(bob: Actor, facilitator: Actor) -> Actor:
    services.role_assign(actor=facilitator, participant_id=_pk(bob), role="sales")
    return bob


@pytest.fixture
def developer(workshop: Workshop, facilitator: Actor) -> Actor:
    person = participant_join(workshop=workshop, display_name="出羽 デブ")
    services.role_assign(actor=facilitator, participant_id=person.pk, role="developer")
    return Actor(workshop, Role.PARTICIPANT, person)


def _pk(actor: Actor) -> int:
    assert actor.participant is not None
    return actor.participant.pk


def _add(actor: Actor, kind: str, text: str, answer: str = "", red: bool = False) -> ProposalEntry:
    return services.entry_add(
        actor=actor, entry_id=uuid.uuid4(), kind=kind, text=text, answer=answer, red=red
    )


def _order(workshop: Workshop, kind: str) -> list[str]:
    entries = ProposalEntry.objects.filter(workshop=workshop, kind=kind)
    assert [entry.position for entry in entries] == list(range(len(entries)))
    return [entry.text for entry in entries]


# --- Roles ---------------------------------------------------------------------------------


def test_only_the_facilitator_assigns_roles_and_dealing_keeps_them_even(
    workshop: Workshop, facilitator: Actor, alice: Actor, bob: Actor
) -> None:
    with pytest.raises(PermissionDenied):
        services.role_assign(actor=alice, participant_id=_pk(bob), role="sales")
    with pytest.raises(InvalidAction):
        services.role_assign(actor=facilitator, participant_id=_pk(bob), role="boss")
    services.role_assign(actor=facilitator, participant_id=_pk(alice), role="sales")
    for name in ("三郎", "四郎", "五郎"):
        participant_join(workshop=workshop, display_name=name)
    services.roles_deal(actor=facilitator)
    roles = list(
        Participant.objects.filter(workshop=workshop).values_list("refine_role", flat=True)
    )
    assert roles[0] == "sales"  # an assigned role is kept
    held = Counter(roles)
    assert set(held) == {"planner", "sales", "developer"}
    assert max(held.values()) - min(held.values()) <= 1


def test_each_part_is_written_by_its_role_and_the_facilitator(
    at_roles: None, planner: Actor, sales: Actor, developer: Actor, facilitator: Actor
) -> None:
    _add(sales, "faq", "スマホでも使えますか？", answer="はい、ブラウザで使えます。")
    _add(developer, "demo", "ログインする")
    _add(facilitator, "demo", "メニューを開く")
    with pytest.raises(PermissionDenied):
        _add(sales, "demo", "営業がデモを書く")
    with pytest.raises(PermissionDenied):
        _add(developer, "faq", "開発者が FAQ を書く")
    with pytest.raises(PermissionDenied):
        services.summary_slot_save(actor=sales, slot="customer", text="中小企業", version=0)
    entry = ProposalEntry.objects.get(kind="faq")
    with pytest.raises(PermissionDenied):
        services.entry_flag(actor=planner, entry_id=entry.pk, red=True)
    with pytest.raises(PermissionDenied):
        services.entry_delete(actor=developer, entry_id=entry.pk)
    services.summary_slot_save(actor=planner, slot="customer", text="中小企業", version=0)


def test_a_role_taken_away_takes_the_right_to_write_with_it(
    at_roles: None, sales: Actor, facilitator: Actor, projector: Actor
) -> None:
    _add(sales, "faq", "料金は？")
    services.role_assign(actor=facilitator, participant_id=_pk(sales), role="")
    with pytest.raises(PermissionDenied):
        _add(sales, "faq", "解約できますか？")
    with pytest.raises(PermissionDenied):
        _add(projector, "faq", "プロジェクターから")


def test_the_proposal_is_written_in_refine(planner: Actor, sales: Actor) -> None:
    with pytest.raises(InvalidAction):
        _add(sales, "faq", "まだ Listen です")
    with pytest.raises(InvalidAction):
        services.summary_slot_save(actor=planner, slot="customer", text="顧客", version=0)


# --- The summary ---------------------------------------------------------------------------


def test_the_summary_is_prefilled_from_the_winner_and_saved_slot_by_slot(
    at_roles: None, workshop: Workshop, planner: Actor, bob_participant: Participant
) -> None:
    idea = Idea.objects.create(
        id=uuid.uuid4(),
        workshop=workshop,
        author=bob_participant,
        customer="中小の設計事務所",
        situation="必要な画像が見つからない",
        capability="テキストから画像を生成",
        customer_metric="デザイン完成までの時間",
        business_metric="有料編集への転換率",
        data="プロンプトと選ばれた画像",
    )
    Invent.objects.create(workshop=workshop, revealed=True, winner=idea, decided_by="votes")
    slots = {
        view.key: view
        for view in refine_view(
            workshop=workshop, viewer=None, labels={}, facilitating=False
        ).summary_slots
    }
    assert slots["customer"].text == "中小の設計事務所" and slots["customer"].from_winner
    services.summary_slot_save(actor=planner, slot="customer", text="個人デザイナー", version=0)
    context = refine_view(
        workshop=workshop, viewer=planner.participant, labels={}, facilitating=False
    )
    slots = {view.key: view for view in context.summary_slots}
    assert (slots["customer"].text, slots["customer"].version) == ("個人デザイナー", 1)
    assert slots["data"].text == "プロンプトと選ばれた画像"
    assert 'data-slot="customer"><bdi>個人デザイナー</bdi></mark>' in context.summary["customer"]
    assert context.can_summary and not context.can_faq


def test_a_slot_saved_on_an_old_version_is_refused_with_the_other_text(
    at_roles: None, planner: Actor, facilitator: Actor
) -> None:
    services.summary_slot_save(actor=planner, slot="situation", text="繁忙期", version=0)
    with pytest.raises(EditConflict) as conflict:
        services.summary_slot_save(actor=facilitator, slot="situation", text="閑散期", version=0)
    assert conflict.value.current.text == "繁忙期"
    with pytest.raises(InvalidAction):
        services.summary_slot_save(actor=planner, slot="price", text="無料", version=0)


def test_an_entry_edited_twice_on_one_version_keeps_the_first_and_refuses_the_second(
    at_roles: None, sales: Actor, facilitator: Actor
) -> None:
    entry = _add(sales, "faq", "料金は？", answer="月額 1,000 円です。")
    services.entry_save(
        actor=sales, entry_id=entry.pk, text="料金は？", answer="無料プランがあります。", version=1
    )
    with pytest.raises(EditConflict) as conflict:
        services.entry_save(
            actor=facilitator, entry_id=entry.pk, text="費用は？", answer="応相談", version=1
        )
    current = conflict.value.current
    assert isinstance(current, ProposalEntry) and current.answer == "無料プランがあります。"
    services.entry_delete(actor=sales, entry_id=entry.pk)
    with pytest.raises(InvalidAction):
        services.entry_save(actor=sales, entry_id=entry.pk, text="x", answer="", version=2)


def test_a_retried_add_adds_one_entry(at_roles: None, developer: Actor) -> None:
    entry_id = uuid.uuid4()
    for _attempt in range(2):
        services.entry_add(actor=developer, entry_id=entry_id, kind="demo", text="ログインする")
    assert ProposalEntry.objects.count() == 1


# --- Order -----------------------------------------------------------------------------------


def test_moves_by_drag_and_by_keyboard_keep_one_total_order(
    at_roles: None, workshop: Workshop, developer: Actor, facilitator: Actor
) -> None:
    login, menu, search, buy = (
        _add(developer, "demo", text) for text in ("ログイン", "メニュー", "検索", "購入")
    )
    services.entry_move(actor=developer, entry_id=buy.pk, after=login.pk)
    assert _order(workshop, "demo") == ["ログイン", "購入", "メニュー", "検索"]
    services.entry_move(actor=developer, entry_id=search.pk, after=None)
    assert _order(workshop, "demo") == ["検索", "ログイン", "購入", "メニュー"]
    services.entry_move(actor=developer, entry_id=search.pk, delta=1)
    services.entry_move(actor=facilitator, entry_id=menu.pk, delta=-1)
    assert _order(workshop, "demo") == ["ログイン", "検索", "メニュー", "購入"]
    services.entry_move(actor=developer, entry_id=login.pk, delta=-1)  # already first
    services.entry_delete(actor=developer, entry_id=search.pk)
    assert _order(workshop, "demo") == ["ログイン", "メニュー", "購入"]


def test_moves_made_on_the_same_stale_view_all_apply_to_the_order_of_the_moment(
    at_roles: None, workshop: Workshop, developer: Actor, facilitator: Actor
) -> None:
    a, b, c, d = (_add(developer, "demo", text) for text in "ABCD")
    # Both saw A B C D. One drags D after A; the other drags A after C and deletes B.
    services.entry_move(actor=developer, entry_id=d.pk, after=a.pk)
    services.entry_move(actor=facilitator, entry_id=a.pk, after=c.pk)
    services.entry_delete(actor=facilitator, entry_id=b.pk)
    # A move after an entry deleted meanwhile leaves the order as it is.
    services.entry_move(actor=developer, entry_id=c.pk, after=b.pk)
    assert _order(workshop, "demo") == ["D", "C", "A"]


@given(
    st.integers(min_value=1, max_value=8).flatmap(
        lambda n: st.tuples(
            st.just(n),
            st.lists(
                st.tuples(
                    st.integers(0, n - 1),
                    st.one_of(st.none(), st.integers(0, n)),
                    st.integers(-2, 2),
                ),
                max_size=12,
            ),
        )
    )
)
def test_any_sequence_of_moves_is_a_permutation(case: tuple[int, list]) -> None:
    size, moves = case
    order = list(range(size))
    for moved, after, delta in moves:
        order = (
            refine.shifted(order, moved, delta)
            if delta
            else refine.placed_after(order, moved, after)
        )
        assert sorted(order) == list(range(size))


# --- Concerns and the read-aloud --------------------------------------------------------------


def test_red_entries_are_the_concerns_and_a_signal_for_day_two(
    at_roles: None, workshop: Workshop, sales: Actor, developer: Actor
) -> None:
    step = _add(developer, "demo", "既存の決済を置き換える", red=True)
    faq = _add(sales, "faq", "オフラインでも使えますか？")
    services.entry_flag(actor=sales, entry_id=faq.pk, red=True)
    _add(sales, "faq", "料金は？")
    concerns = refine_view(workshop=workshop, viewer=None, labels={}, facilitating=False).concerns
    assert [entry.text for entry in concerns] == ["オフラインでも使えますか？", step.text]
    assert measured_signals(workshop).red_entries == 2
    services.entry_flag(actor=developer, entry_id=step.pk, red=False)
    assert measured_signals(workshop).red_entries == 1


def test_the_read_aloud_is_led_by_the_facilitator_and_handed_over_by_the_readers(
    planner: Actor, sales: Actor, developer: Actor, facilitator: Actor
) -> None:
    start = services.ReadingAction.START
    step_go(actor=facilitator, to="refine-roles")
    with pytest.raises(InvalidAction):
        services.reading_go(actor=facilitator, action=start)
    step_go(actor=facilitator, to="refine-merge")
    with pytest.raises(PermissionDenied):
        services.reading_go(actor=planner, action=start)
    assert services.reading_go(actor=facilitator, action=start, seen="").reading == "summary"
    with pytest.raises(PermissionDenied):  # not the reader of the summary
        services.reading_go(actor=sales, action=services.ReadingAction.NEXT)
    nxt = services.ReadingAction.NEXT
    assert services.reading_go(actor=planner, action=nxt, seen="summary").reading == "faq"
    # The same click again, on a button drawn for the summary, changes nothing.
    assert services.reading_go(actor=planner, action=nxt, seen="summary").reading == "faq"
    assert services.reading_go(actor=sales, action=nxt, seen="faq").reading == "demo"
    assert services.reading_go(actor=developer, action=nxt, seen="demo").reading == "concerns"
    assert services.reading_go(actor=facilitator, action=nxt).reading == "concerns"
    prev = services.ReadingAction.PREV
    assert services.reading_go(actor=facilitator, action=prev).reading == "demo"
    stop = services.ReadingAction.STOP
    assert services.reading_go(actor=facilitator, action=stop).reading == ""


# --- Over HTTP -------------------------------------------------------------------------------


def test_the_editor_opens_for_writers_only_and_a_conflict_shows_both_texts(
    at_roles: None, created, workshop: Workshop, sales: Actor, facilitator_client: Client
) -> None:
    entry = _add(sales, "faq", "料金は？", answer="月額制です。")
    url = reverse("refine_entry", args=[workshop.join_code, entry.pk])
    outsider = Client()
    assert outsider.get(url).status_code == 403
    opened = facilitator_client.get(url)
    assert opened.status_code == 200 and "月額制です。" in opened.content.decode()
    services.entry_save(
        actor=sales, entry_id=entry.pk, text="料金は？", answer="無料です。", version=1
    )
    response = facilitator_client.post(
        url, {"text": "料金は？", "answer": "年額制です。", "version": 1}, HTTP_HX_REQUEST="true"
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "無料です。" in page and "年額制です。" in page and 'value="2"' in page
    saved = facilitator_client.post(
        url, {"text": "料金は？", "answer": "年額制です。", "version": 2}, HTTP_HX_REQUEST="true"
    )
    assert saved.status_code == 204
    assert ProposalEntry.objects.get().answer == "年額制です。"


# --- Pushes ------------------------------------------------------------------------------------


def test_a_change_is_rendered_once_per_role_for_the_participants(
    at_roles: None,
    workshop: Workshop,
    planner: Actor,
    sales: Actor,
    facilitator: Actor,
    django_capture_on_commit_callbacks,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    second = participant_join(workshop=workshop, display_name="二宮 セールス")
    services.role_assign(actor=facilitator, participant_id=second.pk, role="sales")
    people = [_pk(planner), _pk(sales), second.pk]
    channels = {}
    layer = get_channel_layer()
    for pk in people:
        presence_open(participant=Participant.objects.get(pk=pk), channel_name=f"tab-{pk}")
        channels[pk] = async_to_sync(layer.new_channel)()
        async_to_sync(layer.group_add)(live.participant_group(workshop.pk, pk), channels[pk])
    renders: list[int | None] = []
    render = live.render.render_entry_changes

    def counted(*args: Any, **kwargs: Any) -> str:
        viewer = kwargs.get("viewer")
        renders.append(viewer.pk if viewer else None)
        return render(*args, **kwargs)

    monkeypatch.setattr(live.render, "render_entry_changes", counted)
    pushes = PushRecorder(workshop.pk)
    with django_capture_on_commit_callbacks(execute=True):
        entry = _add(sales, "faq", "スマホでも使えますか？")
    # The console and the projector, then one render per role among those online: the
    # participants' shared push is the sequence marker alone.
    assert len([pk for pk in renders if pk is None]) == 2
    assert len([pk for pk in renders if pk is not None]) == 2
    assert pushes.received(Role.PARTICIPANT)[0]["html"].count("<div") == 1
    html = {pk: async_to_sync(layer.receive)(channels[pk])["html"] for pk in people}
    assert html[_pk(sales)] == html[second.pk]
    assert "スマホでも使えますか？" in html[_pk(planner)]
    assert "entry-up-" in html[_pk(sales)] and "entry-up-" not in html[_pk(planner)]
    # An entry added redraws its list and the concerns, not the proposal.
    for pushed in html.values():
        assert 'id="refine-faq"' in pushed and 'id="refine-concerns"' in pushed
        assert 'id="refine-summary"' not in pushed and 'id="refine-demo"' not in pushed

    renders.clear()
    pushes.received(Role.PROJECTOR)  # the add's
    with django_capture_on_commit_callbacks(execute=True):
        services.entry_save(
            actor=sales,
            entry_id=entry.pk,
            text="スマホでも使えますか？",
            answer="はい。",
            version=1,
        )
    html = {pk: async_to_sync(layer.receive)(channels[pk])["html"] for pk in people}
    for pushed in (*html.values(), *(m["html"] for m in pushes.received(Role.PROJECTOR))):
        # An entry edited is pushed alone, in its place.
        assert f'id="entry-{entry.pk}"' in pushed and "はい。" in pushed
        assert 'id="refine-faq"' not in pushed
        assert len(pushed.encode()) < 3072
    assert f'id="entry-edit-{entry.pk}"' in html[_pk(sales)]
    assert f'id="entry-edit-{entry.pk}"' not in html[_pk(planner)]
