"""Stand-in for the framework's State (see ../../../README.md)."""
from datetime import datetime, timezone


class State:
    def __init__(self, thread_id, user_message=None, bot_message=None, context=None, intent=None,
                 parameters=None, extracted_parameters=None, missing_parameters=None, complete=False,
                 current_node="", date=None):
        self.thread_id = thread_id
        self.user_message = user_message
        self.bot_message = bot_message
        self.nlu = {}
        self.context = context or {}
        self.intent = intent or {}
        self.parameters = parameters or []
        self.extracted_parameters = extracted_parameters or {}
        self.missing_parameters = missing_parameters or []
        self.complete = complete
        self.current_node = current_node
        self.date = date or datetime.now(timezone.utc)

    def to_dict(self):
        # As the framework's: date stays a datetime, user_message is not null-safe.
        return {
            "thread_id": self.thread_id,
            "user_message": self.user_message.to_dict(),
            "bot_message": self.bot_message,
            "nlu": self.nlu,
            "context": self.context,
            "intent": self.intent,
            "parameters": self.parameters,
            "extracted_parameters": self.extracted_parameters,
            "missing_parameters": self.missing_parameters,
            "complete": self.complete,
            "current_node": self.current_node,
            "date": self.date,
        }

    @classmethod
    def from_dict(cls, data):
        # As the framework's: only the dialogue fields; user_message, bot_message, nlu and date are dropped.
        return cls(
            thread_id=data["thread_id"],
            context=data["context"],
            intent=data["intent"],
            parameters=data["parameters"],
            extracted_parameters=data["extracted_parameters"],
            missing_parameters=data["missing_parameters"],
            complete=data["complete"],
            current_node=data["current_node"],
        )

    def update(self, user_message):
        self.user_message = user_message
        self.date = datetime.now(timezone.utc)
        self.context.update(user_message.context)
        if self.complete:
            self.bot_message = []
            self.intent = None
            self.parameters = []
            self.extracted_parameters = {}
            self.missing_parameters = []
            self.complete = False
            self.current_node = None

    def get_active_intent_id(self):
        return self.intent.get("id") if self.intent else None
