"""Wording and formats (issue 12, item 9): money, place kinds, doctors' titles, the
registration confirmation."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from ventanilla.contributions.models import ContributionPayment
from ventanilla.core.money import money_text

from .test_portal import sign_in

pytestmark = pytest.mark.django_db
NBSP = "\u00a0"


def _cells(page: str, month: str) -> list[str]:
    row = page.split(f'class="govuk-table__header">{month}</th>')[1].split("</tr>")[0]
    return [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]


@pytest.mark.parametrize(("language", "amount"), [("es", "$ 94,76"), ("en", "US$ 94.76")],
                         ids=["es", "en"])
def test_money_in_the_countrys_currency_for_the_language(language, amount):
    assert money_text(Decimal("94.76"), country="EC", language=language) == \
        amount.replace(" ", NBSP)
    assert money_text(Decimal("1130"), country="PE", language=language) == f"S/{NBSP}1,130.00"


def test_contributions_show_the_expected_amount_and_the_currency(make_affiliate):
    ana = make_affiliate(affiliation_type="voluntary", starts_on=date(2024, 1, 1))
    ContributionPayment.objects.create(affiliation=ana.affiliations.get(),
                                       period=date(2024, 1, 1), amount=Decimal("50.00"),
                                       paid_on=date(2024, 1, 20))
    client = Client()
    sign_in(client, ana)
    page = client.get("/portal/aportes/?ano=2024", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _cells(page, "January") == [f"US${NBSP}94.76", f"US${NBSP}50.00",
                                       f"Partly paid (owed US${NBSP}44.76)"]
    assert _cells(page, "February")[:2] == [f"US${NBSP}94.76", f"US${NBSP}0.00"]
    page = client.get("/portal/aportes/?ano=2024", HTTP_ACCEPT_LANGUAGE="es").content.decode()
    assert _cells(page, "Enero")[:2] == [f"${NBSP}94,76", f"${NBSP}50,00"]


def test_a_salary_based_month_expects_what_the_employer_declared(make_affiliate):
    """Only the employer knows the salary: its payment is the expected amount, and a month
    not paid expects what the month before did (the arrears are no longer empty)."""
    ana = make_affiliate(affiliation_type="employee", starts_on=date(2024, 1, 1))
    ContributionPayment.objects.create(affiliation=ana.affiliations.get(),
                                       period=date(2024, 1, 1), amount=Decimal("185.40"),
                                       paid_on=date(2024, 2, 10))
    client = Client()
    sign_in(client, ana)
    page = client.get("/portal/aportes/?ano=2024", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert _cells(page, "January") == [f"US${NBSP}185.40", f"US${NBSP}185.40", "Paid"]
    assert _cells(page, "February") == [f"US${NBSP}185.40", f"US${NBSP}0.00",
                                        f"Not paid (arrears) (owed US${NBSP}185.40)"]
