"""Stand-in for the framework's UserMessage (see ../../../README.md)."""


class UserMessage:
    def __init__(self, thread_id, text, context, channel="rest"):
        self.thread_id = thread_id
        self.text = text
        self.channel = channel
        self.context = context

    def to_dict(self):
        return {"thread_id": self.thread_id, "text": self.text, "channel": self.channel, "context": self.context}

    @classmethod
    def from_dict(cls, data):
        return cls(data["thread_id"], data["text"], data["context"], data.get("channel", "rest"))
