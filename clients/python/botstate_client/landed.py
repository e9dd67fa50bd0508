"""Did a conditional save whose answer was lost land after all?

A ``PUT`` with ``If-Match: "4"`` that times out may have been applied: the state is then at version 5.
Retrying it gets 412, although nobody else wrote. The save is reported as done when the state stored
now is at version ``if_match + 1`` and is exactly what was sent (read with the service's ``from_dict``
rules). That is safe whoever wrote it: exactly one write happened since version 4, and it left the
state the caller wanted, so no one's update was lost, which is what ``If-Match`` protects. Anything
else (a later version, any difference) stays a PreconditionFailed.
"""
from .states import DEFAULTS, parse_date


def put_landed(sent, thread_id, if_match, current):
    """Whether ``current`` (a Versioned read after the 412) is the save of ``sent`` conditioned on ``if_match``."""
    if current is None or current.version != if_match + 1 or not isinstance(sent, dict):
        return False
    stored = current.state
    own_thread = sent.get("thread_id", thread_id)
    if stored.get("thread_id") != own_thread:
        return False
    if stored.get("user_message") != _user_message(sent.get("user_message"), own_thread):
        return False
    if any(stored.get(name) != sent.get(name, default) for name, default in DEFAULTS.items() if name != "user_message"):
        return False
    return "date" not in sent or _same_instant(sent["date"], stored.get("date"))


def _user_message(message, thread_id):
    """A sent ``user_message`` as ``from_dict`` stores it: an object with a string ``text``, else null."""
    if not isinstance(message, dict) or not isinstance(message.get("text"), str):
        return None
    return {
        "thread_id": message.get("thread_id", thread_id),
        "text": message["text"],
        "channel": message.get("channel", "rest"),
        "context": message.get("context", {}),
    }


def _same_instant(sent, stored):
    sent_date, stored_date = parse_date(sent), parse_date(stored)
    return sent_date is not None and sent_date == stored_date
