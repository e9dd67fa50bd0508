"""When a failed attempt is tried again, and how long to wait first.

Only calls that are safe to repeat are retried (reads, a PUT of the same body, DELETE, a turn with its
Idempotency-Key, bulk erasure), and only on failures where trying again can help: no connection, no
answer in time, 429, and 502/503/504. The wait is the service's ``Retry-After`` when it gave one, else
exponential backoff with jitter; it is an ``asyncio.sleep``, so a retry holds no thread.
"""
import random
from dataclasses import dataclass

from .errors import RetryableError


@dataclass(frozen=True)
class RetryPolicy:
    retries: int = 2
    """Attempts after the first."""

    backoff: float = 0.2
    """Seconds before the first retry without Retry-After; doubled each time, with jitter."""

    max_retry_after: float = 5.0
    """The longest wait honoured; a longer Retry-After is cut to this."""

    def attempts(self, retry):
        return 1 + (self.retries if retry else 0)

    @staticmethod
    def retryable(error):
        return isinstance(error, RetryableError)

    def pause(self, attempt, error):
        """Seconds to wait before attempt ``attempt + 1``, after ``error`` ended attempt ``attempt`` (0-based)."""
        if error.retry_after is not None:
            return max(0.0, min(error.retry_after, self.max_retry_after))
        return self.backoff * (2 ** attempt) * (0.5 + random.random())
