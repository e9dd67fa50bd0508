"""Stand-in for the framework's MemorySaver and its in-memory saver (see ../../../README.md)."""
from collections import OrderedDict

from app.bot.memory.models import State


class MemorySaver:
    async def init_state(self, thread_id):
        return State(thread_id=thread_id)

    async def save(self, thread_id, state):
        raise NotImplementedError

    async def get(self, thread_id):
        raise NotImplementedError

    async def get_all(self, thread_id):
        raise NotImplementedError


class MemorySaverInMemory(MemorySaver):
    def __init__(self):
        self.memory = OrderedDict()

    async def save(self, thread_id, state):
        self.memory.setdefault(thread_id, []).append(state)

    async def get(self, thread_id):
        return self.memory[thread_id][-1] if thread_id in self.memory else None

    async def get_all(self, thread_id):
        return self.memory.get(thread_id, [])
