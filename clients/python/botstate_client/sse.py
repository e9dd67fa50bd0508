"""Server-Sent Events read from lines: the fields of the HTML standard's event stream that the change feed uses.

An event is its ``id:`` and ``data:`` lines up to a blank line; comment lines (``: …``, the service's keep-alives)
and other fields (``retry:``) carry nothing for the caller.
"""
from dataclasses import dataclass


@dataclass(frozen=True)
class ServerSentEvent:
    id: object
    """The event's ``id:`` (None without one)."""

    data: str
    """Its ``data:`` lines, joined by line breaks."""


async def parse(lines):
    """The events of an async iterator of lines (without their line breaks), as each one completes."""
    event_id, data = None, []
    async for line in lines:
        if line == "":
            if data:
                yield ServerSentEvent(event_id, "\n".join(data))
            event_id, data = None, []
            continue
        if line.startswith(":"):
            continue
        field, _, value = line.partition(":")
        value = value[1:] if value.startswith(" ") else value
        if field == "id":
            event_id = value
        elif field == "data":
            data.append(value)
