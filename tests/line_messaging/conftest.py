import pytest


@pytest.fixture
def people(people):
    """The shared people, each with an e-mail address (the other channel)."""
    for user in people.values():
        user.email = f"{user.username}@example.go.th"
        user.save(update_fields=["email"])
    return people
