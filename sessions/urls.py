from __future__ import annotations

from django.urls import path

from sessions.views import boards, facilitate, home, invent, join, plan, questionnaire, room

urlpatterns = [
    path("", home.home, name="home"),
    path("f/<str:token>/", home.facilitator_link, name="facilitator_link"),
    path("join/", join.join, name="join"),
    path("join/<str:code>/", join.join, name="join_code"),
    path("w/<str:code>/", room.room, name="room"),
    path("w/<str:code>/facilitate/", room.console, name="console"),
    path("w/<str:code>/projector/", room.projector, name="projector"),
    path("w/<str:code>/facilitate/step/", facilitate.step, name="facilitate_step"),
    path("w/<str:code>/facilitate/timer/", facilitate.timer, name="facilitate_timer"),
    path("w/<str:code>/facilitate/reveal/", boards.boards_reveal, name="boards_reveal"),
    path("w/<str:code>/facilitate/owner/", boards.board_owner, name="board_owner"),
    path("w/<str:code>/persona/", boards.persona_update, name="persona_update"),
    path("w/<str:code>/notes/", boards.note_create, name="note_create"),
    path("w/<str:code>/notes/<uuid:note_id>/", boards.note_update, name="note_update"),
    path("w/<str:code>/notes/<uuid:note_id>/delete/", boards.note_delete, name="note_delete"),
    path("w/<str:code>/notes/<uuid:note_id>/points/", boards.note_points, name="note_points"),
    path("w/<str:code>/notes/<uuid:note_id>/move/", boards.note_move, name="note_move"),
    path("w/<str:code>/groups/propose/", boards.groups_propose, name="groups_propose"),
    path("w/<str:code>/groups/<uuid:group_id>/name/", boards.group_rename, name="group_rename"),
    path("w/<str:code>/groups/<uuid:group_id>/score/", boards.group_score, name="group_score"),
    path("w/<str:code>/ideas/", invent.idea_save, name="idea_save"),
    path("w/<str:code>/ideas/<uuid:idea_id>/share/", invent.idea_share, name="idea_share"),
    path("w/<str:code>/facilitate/stage/<uuid:idea_id>/", invent.idea_stage, name="idea_stage"),
    path("w/<str:code>/ideas/<uuid:idea_id>/pick/", invent.pick_set, name="pick_set"),
    path("w/<str:code>/marks/", invent.mark_set, name="mark_set"),
    path("w/<str:code>/plan/", plan.cell_save, name="plan_cell_save"),
    path("w/<str:code>/questionnaire/", questionnaire.save, name="questionnaire_save"),
    path("w/<str:code>/facilitate/results/", invent.results_reveal, name="results_reveal"),
    path("w/<str:code>/facilitate/winner/", invent.winner_override, name="winner_override"),
]
