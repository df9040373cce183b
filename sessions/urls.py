from __future__ import annotations

from django.urls import path

from sessions.views import facilitate, home, join, room

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
]
