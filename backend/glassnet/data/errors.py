"""The one exception the data package raises for a bad data spec or bad user data."""

from __future__ import annotations


class DataError(ValueError):
    """A problem with one field of the data spec, phrased so a student can fix it.

    `field` is the DataSpec field at fault (e.g. "csv_text", "n"); the server turns it into the JSON
    pointer `/data/<field>`. `message` says what is wrong and what to do instead.
    """

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message

    @property
    def pointer(self) -> str:
        """JSON pointer of the field inside a RunSpec."""
        return f"/data/{self.field}"
