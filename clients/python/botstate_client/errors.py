"""What can go wrong talking to the service, as exceptions a dialogue manager can catch by kind.

Every answer the service refuses is an RFC 9457 problem; its ``type`` (``urn:botstate:problem:…``) is
the stable name of the failure, and the exception for a status is chosen here, in one place.
"""
import json

PROBLEM_TYPE_PREFIX = "urn:botstate:problem:"


class BotStateError(Exception):
    """Base class: the service refused or could not complete a request.

    ``status`` is the HTTP status (None when no answer came); ``type``, ``title`` and ``detail`` come
    from the service's problem document (``type`` is stable, e.g. ``urn:botstate:problem:not-found``).
    """

    def __init__(self, message, status=None, title=None, detail=None, problem_type=None):
        super().__init__(message)
        self.status = status
        self.title = title
        self.detail = detail
        self.type = problem_type


class BadRequest(BotStateError):
    """The request was refused as invalid (400, 413, 415, 422): fix it, do not retry it."""


class IdempotencyKeyReused(BadRequest):
    """The turn's Idempotency-Key was already used for a different message (422): a new turn needs a new key."""


class Unauthorized(BotStateError):
    """The service requires a valid API key (401): pass ``api_key``."""


class Forbidden(Unauthorized):
    """The API key lacks the scope this operation needs (403), e.g. ``privacy`` for export and erasure."""


class NotFound(BotStateError):
    """No state exists for the thread (404)."""


class AlreadyExists(BotStateError):
    """The conversation a fork names as ``to`` already has a state (409): choose another id, or delete it first."""


class PreconditionFailed(BotStateError):
    """The state changed since the version the request named (412): read it again, then retry.

    ``after_lost_answer`` is true when an earlier attempt of the same call got no answer, so that
    attempt itself may be what moved the version (see ``BotStateClient.put_state``).
    """

    after_lost_answer = False


class RetryableError(BotStateError):
    """Base of the failures a safe request is retried on; ``retry_after`` is the service's advice in seconds, or None."""

    def __init__(self, message, status=None, title=None, detail=None, problem_type=None, retry_after=None):
        super().__init__(message, status, title, detail, problem_type)
        self.retry_after = retry_after


class RateLimited(RetryableError):
    """The API key sent more requests than its rate limit allows (429); nothing was done. Wait ``retry_after``."""


class ServiceUnavailable(RetryableError):
    """The cluster or its database could not complete the request (502, 503, 504); nothing was stored (503)."""


class Timeout(RetryableError):
    """No answer within the timeout.

    ``request_sent`` tells whether the request may have reached the service (a read timeout: it may
    have been applied) or certainly did not (no connection in time).
    """

    def __init__(self, message, request_sent):
        super().__init__(message)
        self.request_sent = request_sent


class ConnectionFailed(RetryableError, ConnectionError):
    """No connection to the service (refused, reset, DNS), or it closed the connection before answering.

    Also a built-in ``ConnectionError``. ``request_sent`` is false when no connection was made (nothing
    can have been applied) and true when the connection broke after the request went out.
    """

    def __init__(self, message, request_sent):
        super().__init__(message)
        self.request_sent = request_sent


_BY_STATUS = {
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: AlreadyExists,
    412: PreconditionFailed,
    429: RateLimited,
    502: ServiceUnavailable,
    503: ServiceUnavailable,
    504: ServiceUnavailable,
}


def problem_error(method, path, status, headers, body):
    """The exception for a refused request: its class by status (and ``type``), with the problem's fields."""
    problem = _problem(body)
    title, detail, problem_type = problem.get("title"), problem.get("detail"), problem.get("type")
    message = "%s %s: %d %s: %s" % (method, path, status, title or "", detail or "")
    if problem_type == PROBLEM_TYPE_PREFIX + "idempotency-key-reused":
        kind = IdempotencyKeyReused
    elif status in _BY_STATUS:
        kind = _BY_STATUS[status]
    elif 400 <= status < 500:
        kind = BadRequest
    else:
        kind = BotStateError
    if issubclass(kind, RetryableError):
        return kind(message, status, title, detail, problem_type, retry_after=_seconds(headers.get("Retry-After")))
    return kind(message, status, title, detail, problem_type)


def _problem(body):
    try:
        problem = json.loads(body or b"{}")
    except ValueError:
        return {}
    return problem if isinstance(problem, dict) else {}


def _seconds(retry_after):
    # The service sends delta-seconds; an HTTP date (allowed by RFC 9110) is treated as no advice.
    try:
        return float(retry_after) if retry_after is not None else None
    except ValueError:
        return None
