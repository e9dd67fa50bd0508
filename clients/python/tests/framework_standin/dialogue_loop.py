"""The shape of the framework's DialogueManager.process, with a rule-based stand-in for its NLU.

The saver is chosen by the one import line below; the tests run this file as it is and with that
line swapped for ``from botstate_client import HttpMemorySaver as MemorySaver``.
"""
from app.bot.memory import MemorySaverInMemory as MemorySaver
from app.bot.dialogue_manager.models import UserMessage

# intent id -> required parameters (name, prompt); "/intent" selects an intent, anything else fills the prompted one.
INTENTS = {"book_flight": [("destination", "Where to?")], "greet": []}


class DialogueManager:
    def __init__(self, memory_saver):
        self.memory_saver = memory_saver

    async def process(self, message):
        current_state = await self.memory_saver.get(message.thread_id)
        if not current_state:
            current_state = await self.memory_saver.init_state(message.thread_id)
        current_state.update(message)

        text = current_state.user_message.text
        intent_id = text[1:] if text.startswith("/") else current_state.get_active_intent_id()
        current_state.nlu = {"intent": {"intent": intent_id, "confidence": 1.0}, "entities": {}}
        if not text.startswith("/") and current_state.current_node:
            current_state.extracted_parameters[current_state.current_node] = text
        required = INTENTS.get(intent_id, [])
        if not current_state.parameters:
            current_state.parameters = [{"name": name, "required": True} for name, _ in required]
        current_state.missing_parameters = [n for n, _ in required if n not in current_state.extracted_parameters]
        current_state.current_node = current_state.missing_parameters[0] if current_state.missing_parameters else None
        prompts = dict(required)
        current_state.bot_message = [{"text": prompts[current_state.current_node] if current_state.current_node else "Done: " + intent_id}]
        current_state.context["parameters"] = current_state.extracted_parameters
        current_state.intent = {"id": intent_id}
        current_state.complete = not current_state.missing_parameters

        await self.memory_saver.save(message.thread_id, current_state)
        return current_state


def new_manager():
    return DialogueManager(MemorySaver())


def message(thread_id, text, context=None):
    return UserMessage(thread_id, text, context or {})
