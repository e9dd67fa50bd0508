"""A drop-in MemorySaver for the ai-chatbot-framework, backed by the BotStateCluster HTTP gateway.

Replace the framework's saver with one line::

    from botstate_client import HttpMemorySaver
    memory_saver = HttpMemorySaver("http://127.0.0.1:8080")

Standard library only.
"""
from .errors import (
    BadRequest,
    BotStateError,
    NotFound,
    PreconditionFailed,
    ServiceUnavailable,
    Timeout,
    Unauthorized,
)
from .saver import HttpMemorySaver

__all__ = [
    "HttpMemorySaver",
    "BotStateError",
    "BadRequest",
    "NotFound",
    "PreconditionFailed",
    "ServiceUnavailable",
    "Timeout",
    "Unauthorized",
]
