"""The measurement plan: edited together, never silently overwritten."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from sessions.access import Actor, Role
from sessions.models import PlanCell, Workshop
from sessions.rules.plan import empty_required
from sessions.selectors.plan import plan_view
from sessions.services.events import InvalidAction
from sessions.services.plan import plan_cell_save
from sessions.services.room import step_go
from sessions.services.versions import EditConflict


@pytest.fixture
def at_plan(facilitator: Actor) -> None:
    step_go(actor=facilitator, to="test-plan")


def test_a_cell_is_saved_and_versioned(at_plan: None, alice: Actor, workshop: Workshop) -> None:
    cell = plan_cell_save(
        actor=alice, column="customer", row="who", text="導入 3 カ月以内の顧客", version=0
    )
    assert (cell.text, cell.version) == ("導入 3 カ月以内の顧客", 1)
    rows = plan_view(workshop=workshop).plan_rows
    assert rows[0][1][0].text == "導入 3 カ月以内の顧客"


def test_a_save_on_an_old_version_is_refused_and_keeps_the_other_text(
    at_plan: None, alice: Actor, bob: Actor
) -> None:
    plan_cell_save(actor=alice, column="business", row="how", text="購入率 120%", version=0)
    with pytest.raises(EditConflict) as conflict:
        plan_cell_save(actor=bob, column="business", row="how", text="継続率 110%", version=0)
    assert conflict.value.current.text == "購入率 120%"
    assert PlanCell.objects.get().text == "購入率 120%"
    plan_cell_save(actor=bob, column="business", row="how", text="継続率 110%", version=1)
    assert PlanCell.objects.get().version == 2


def test_the_plan_is_written_in_its_step_by_people_not_the_projector(
    alice: Actor, projector: Actor, facilitator: Actor
) -> None:
    with pytest.raises(InvalidAction):
        plan_cell_save(actor=alice, column="model", row="who", text="DS", version=0)
    step_go(actor=facilitator, to="test-plan")
    with pytest.raises(PermissionDenied):
        plan_cell_save(actor=projector, column="model", row="who", text="DS", version=0)
    with pytest.raises(InvalidAction):
        plan_cell_save(actor=alice, column="model", row="when", text="DS", version=0)
    plan_cell_save(
        actor=facilitator, column="model", row="who", text="データサイエンティスト", version=0
    )


def test_empty_required_cells_are_counted_for_the_next_step() -> None:
    assert empty_required({}) == 6
    assert empty_required({("customer", "who"): "顧客", ("model", "who"): "DS"}) == 5


def test_the_conflict_page_shows_both_texts(
    at_plan: None, alice: Actor, alice_client: Client
) -> None:
    plan_cell_save(actor=alice, column="customer", row="what", text="推薦された商品", version=0)
    response = alice_client.post(
        reverse("plan_cell_save", args=[alice.workshop.join_code]),
        {"column": "customer", "row": "what", "text": "閲覧履歴に近い商品", "version": 0},
        headers={"HX-Request": "true"},
    )
    page = response.content.decode()
    assert "推薦された商品" in page and "閲覧履歴に近い商品" in page
    assert 'name="version" value="1"' in page


def test_a_saved_cell_is_pushed_alone_to_every_screen(
    at_plan: None, alice: Actor, workshop: Workshop, pushes, django_capture_on_commit_callbacks
) -> None:
    plan_cell_save(actor=alice, column="customer", row="how", text="継続率 110%", version=0)
    pushes.received(Role.FACILITATOR)  # what is already sent
    with django_capture_on_commit_callbacks(execute=True):
        plan_cell_save(
            actor=alice, column="customer", row="who", text="会員登録して 3 カ月以内", version=0
        )
    for role in (Role.FACILITATOR, Role.PARTICIPANT, Role.PROJECTOR):
        [message] = pushes.received(role)
        html = message["html"]
        assert 'id="plan"' not in html and "継続率 110%" not in html  # not the whole plan
        assert "#plan-cell-customer-who" in html and "会員登録して 3 カ月以内" in html
        assert len(html.encode()) < 2048
        assert ("plan-input-customer-who" in html) == (role != Role.PROJECTOR)
