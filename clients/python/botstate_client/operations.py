"""Which method of ``BotStateClient`` covers each operation of the committed OpenAPI document.

Keyed by the document's ``operationId`` (clients/openapi/v1.json), so a coverage check can compare
the two sets; each method's name is its operationId in snake_case, but for
the feed and time travel, named for what a caller does (``changes``, ``restore``, ``fork``).
"""
from .client import BotStateClient

OPERATIONS = {
    "GetState": BotStateClient.get_state,
    "PutState": BotStateClient.put_state,
    "DeleteState": BotStateClient.delete_state,
    "PostMessage": BotStateClient.post_message,
    "GetHistory": BotStateClient.get_history,
    "GetActiveIntent": BotStateClient.get_active_intent,
    "ListStates": BotStateClient.list_states,
    "ExportState": BotStateClient.export_state,
    "PostErasures": BotStateClient.post_erasures,
    "GetSnapshot": BotStateClient.get_snapshot,
    "RestoreState": BotStateClient.restore,
    "ForkState": BotStateClient.fork,
    "GetChanges": BotStateClient.changes,
    "GetChangeStream": BotStateClient.change_stream,
    "GetFailedDeliveries": BotStateClient.get_failed_deliveries,
    "RetryFailedDeliveries": BotStateClient.retry_failed_deliveries,
}
