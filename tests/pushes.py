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
        return self.drain_channel(self.channels[role])

    @staticmethod
    def drain_channel(channel: str) -> list[dict[str, Any]]:
        """Every message waiting on ``channel`` (of any group it was added to)."""
        return async_to_sync(_drain)(channel)


async def _drain(channel: str) -> list[dict[str, Any]]:
    layer = get_channel_layer()
    messages = []
    while True:
        try:
            messages.append(await asyncio.wait_for(layer.receive(channel), 0.05))
        except TimeoutError:
            return messages
