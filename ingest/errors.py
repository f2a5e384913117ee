"""Errors and warnings the import pipeline reports per file."""


class ParseError(Exception):
    """A post that cannot become an article; names the field and the reason."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.reason = reason
