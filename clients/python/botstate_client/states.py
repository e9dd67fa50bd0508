"""How states cross the wire: the caller's state objects to the contract's JSON, and back.

The gateway speaks ``State.to_dict()`` JSON. A dialogue manager works on its own ``State`` objects
(``update(message)``, attributes), so the saver turns what it reads into those objects with a
*state factory*, and turns whatever it is given (an object with ``to_dict()``, a dict, datetimes
anywhere) into JSON.
"""
import json
from datetime import date, datetime, timezone

# The framework's classes, imported only when the caller did not choose a factory.
_FRAMEWORK_STATE = ("app.bot.memory.models", "State")
_FRAMEWORK_USER_MESSAGE = ("app.bot.dialogue_manager.models", "UserMessage")

# The contract's fields (DESIGN section 3) with what a new state holds, which is also what a state sent
# without them is stored with; ``thread_id`` and ``date`` (the user id, now) are the caller's to fill.
DEFAULTS = {
    "user_message": None,
    "bot_message": None,
    "nlu": {},
    "context": {},
    "intent": {},
    "parameters": [],
    "extracted_parameters": {},
    "missing_parameters": [],
    "complete": False,
    "current_node": "",
}

AUTO = object()
"""``state_factory`` default: the framework's ``State`` when it is importable, else plain dicts."""


def resolve_factory(state_factory):
    """The callable that turns a state dict into the caller's object, or None for plain dicts."""
    if state_factory is not AUTO:
        return None if state_factory is dict else state_factory
    try:
        state_class = _import(*_FRAMEWORK_STATE)
        message_class = _import(*_FRAMEWORK_USER_MESSAGE)
    except ImportError:
        return None
    return framework_factory(state_class, message_class)


def framework_factory(state_class, message_class):
    """Builds the framework's ``State`` with every field of the stored state.

    The framework's ``State.from_dict`` keeps only the dialogue fields (its MongoDB saver even
    projects the others away); here ``user_message``, ``bot_message``, ``nlu`` and ``date`` are
    restored too, so ``get()`` hands back the state exactly as it was saved.
    """

    def build(data):
        state = state_class.from_dict(data)
        message = data.get("user_message")
        state.user_message = message_class.from_dict(message) if isinstance(message, dict) else None
        state.bot_message = data.get("bot_message")
        state.nlu = data.get("nlu") if isinstance(data.get("nlu"), dict) else {}
        state.date = parse_date(data.get("date")) or state.date
        return state

    return build


def to_body(state):
    """The JSON-ready form of a state: ``to_dict()`` of an object, a dict as it is."""
    return state.to_dict() if hasattr(state, "to_dict") else state


def to_json_bytes(value):
    """The JSON a state (or any body) is sent as: ``to_body`` of it, with ``to_json_value`` for the rest.

    Raises TypeError, before anything is sent, for a value JSON cannot hold.
    """
    return json.dumps(to_body(value), default=to_json_value).encode("utf-8")


def to_json_value(value):
    """``json.dumps(default=…)``: what plain JSON cannot hold, in the contract's forms.

    A datetime becomes ISO 8601 in UTC with microseconds and ``+00:00`` (as the service writes
    ``date``; a naive one is taken to be UTC, as the framework's ``datetime.now(UTC)`` values
    are), a date ``YYYY-MM-DD``, and a nested object with ``to_dict()`` its dict.
    """
    if isinstance(value, datetime):
        aware = value if value.tzinfo is not None else value.replace(tzinfo=timezone.utc)
        return aware.astimezone(timezone.utc).isoformat(timespec="microseconds")
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "to_dict"):
        return value.to_dict()
    raise TypeError("Object of type %s cannot be sent as JSON: give it a to_dict() method" % type(value).__name__)


def parse_date(text):
    """The datetime of an ISO 8601 string as the service writes it, or None."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _import(module_name, attribute):
    module = __import__(module_name, fromlist=[attribute])
    try:
        return getattr(module, attribute)
    except AttributeError:
        raise ImportError("%s has no %s" % (module_name, attribute)) from None
