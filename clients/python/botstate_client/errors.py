"""What can go wrong talking to the gateway, as exceptions a dialogue manager can catch by kind."""


class BotStateError(Exception):
    """Base class: the gateway refused or could not complete a request.

    ``status`` is the HTTP status (None when no answer came), ``title`` and ``detail`` come from the
    gateway's RFC 9457 problem document.
    """

    def __init__(self, message, status=None, title=None, detail=None):
        super().__init__(message)
        self.status = status
        self.title = title
        self.detail = detail


class BadRequest(BotStateError):
    """The request was refused as invalid (400, 413, 415, 422): fix it, do not retry it."""


class Unauthorized(BotStateError):
    """The gateway requires an API key (401): pass ``api_key``."""


class NotFound(BotStateError):
    """No state exists for the thread (404)."""


class PreconditionFailed(BotStateError):
    """The state changed since the version the request named (412): read it again, then retry."""


class ServiceUnavailable(BotStateError):
    """The cluster or its database could not complete the request (503); nothing was stored.

    ``retry_after`` is the gateway's advice in seconds, or None.
    """

    def __init__(self, message, status=None, title=None, detail=None, retry_after=None):
        super().__init__(message, status, title, detail)
        self.retry_after = retry_after


class Timeout(BotStateError):
    """No answer within the timeout, or the connection failed."""
