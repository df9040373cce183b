"""Listening in on the channel layer: what a push contains and who gets it."""

from __future__ import annotations

import asyncio
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

from sessions import live
from sessions.access import Role


class PushRecorder:
    """Subscribes one channel to each audience group of a workshop."""

    def __init__(self, workshop_id: int) -> None:
        self.layer = get_channel_layer()
        self.channels: dict[Role, str] = {}
        for role in live.AUDIENCES:
            channel = async_to_sync(self.layer.new_channel)()
            async_to_sync(self.layer.group_add)(live.role_group(workshop_id, role), channel)
            self.channels[role] = channel

    def received(self, role: Role) -> list[dict[str, Any]]:
        return async_to_sync(self._drain)(self.channels[role])

    async def _drain(self, channel: str) -> list[dict[str, Any]]:
        messages = []
        while True:
            try:
                messages.append(await asyncio.wait_for(self.layer.receive(channel), 0.05))
            except TimeoutError:
                return messages
