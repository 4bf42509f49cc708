"""Operations one app offers another through core.ports, without an import between them."""

import pytest

from core import ports


def test_an_operation_is_used_by_its_name():
    ports.provide("tests.double", lambda *, n: 2 * n)
    assert ports.is_provided("tests.double")
    assert ports.use("tests.double")(n=21) == 42


def test_a_missing_provider_is_named_in_the_error():
    assert not ports.is_provided("tests.nobody")
    with pytest.raises(ports.PortMissingError, match=r"tests\.nobody"):
        ports.use("tests.nobody")


def test_repairs_offers_what_loans_asks_for():
    # The two names equipment_loans uses; a rename on one side would break loans silently.
    assert ports.is_provided("repairs.file_ticket")
    assert ports.is_provided("repairs.loanable_assets")
