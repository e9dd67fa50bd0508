"""Python client of BotStateCluster, and a drop-in MemorySaver for the ai-chatbot-framework.

Replace the framework's saver with one line::

    from botstate_client import HttpMemorySaver
    memory_saver = HttpMemorySaver("http://127.0.0.1:8080")

Every other operation of the API is a method of ``BotStateClient`` (``memory_saver.client``).
Depends on httpx alone.
"""
__version__ = "0.1.0"

from .client import BotStateClient, Snapshot, Versioned  # noqa: E402  (after __version__, which transport reads)
from .feed import ChangeEvent  # noqa: E402
from .errors import (  # noqa: E402
    AlreadyExists,
    BadRequest,
    BotStateError,
    ConnectionFailed,
    Forbidden,
    IdempotencyKeyReused,
    NotFound,
    PreconditionFailed,
    RateLimited,
    RetryableError,
    ServiceUnavailable,
    Timeout,
    Unauthorized,
)
from .saver import HttpMemorySaver  # noqa: E402

__all__ = [
    "HttpMemorySaver",
    "BotStateClient",
    "Versioned",
    "Snapshot",
    "ChangeEvent",
    "BotStateError",
    "AlreadyExists",
    "BadRequest",
    "ConnectionFailed",
    "Forbidden",
    "IdempotencyKeyReused",
    "NotFound",
    "PreconditionFailed",
    "RateLimited",
    "RetryableError",
    "ServiceUnavailable",
    "Timeout",
    "Unauthorized",
]
