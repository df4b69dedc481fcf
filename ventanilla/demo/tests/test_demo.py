import pytest
from django.core.management import call_command
from django.test import Client

from ventanilla.cases.models import CaseStatus
from ventanilla.registration.models import Application


@pytest.mark.django_db
def test_demo_data_loads_once_with_every_state():
    call_command("loaddemo")
    call_command("loaddemo")  # a second run changes nothing
    statuses = sorted(Application.objects.values_list("status", flat=True))
    assert statuses == sorted([CaseStatus.SUBMITTED, CaseStatus.SUBMITTED, CaseStatus.APPROVED,
                               CaseStatus.ACTION_REQUIRED, CaseStatus.SUBMITTED])
    client = Client()
    r = client.post("/staff/entrar/", {"username": "revisor.ec",
                                       "password": "Ventanilla-demo-2026"})
    assert r.status_code == 302
    r = client.get("/staff/cola/?country=EC")
    assert r.status_code == 200 and r.content.decode().count("govuk-tag--red") == 1


@pytest.mark.django_db
def test_demo_mailbox_is_off_in_production(settings):
    settings.DEMO_MAILBOX = False
    assert Client().get("/demo/correo/").status_code == 404
