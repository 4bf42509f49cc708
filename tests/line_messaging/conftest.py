import pytest

from tests.line_fake import fake_line  # noqa: F401  (the fixture)


@pytest.fixture
def people(people):
    """The shared people, each with an e-mail address (the other channel)."""
    for user in people.values():
        user.email = f"{user.username}@example.go.th"
        user.save(update_fields=["email"])
    return people
