"""The conversation replayed message by message (R-APT-07, R-APT-09)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ventanilla.core.channels import Channel
from ventanilla.scheduling.models import Booking, BookingStatus
from ventanilla.whatsapp.models import WhatsAppConversation

from .conftest import ANA, ANA_PHONE, STRANGER_PHONE, quito_at, replies_to

pytestmark = pytest.mark.django_db


def booked(**filters):
    return Booking.objects.filter(status=BookingStatus.BOOKED, **filters)


def test_r_apt_07_a_replayed_conversation_books_dentistry(webhook, ana, slots):
    """Through the signed webhook, as Meta delivers it: Hola, name, ID, ODONTOLOGÍA, the city
    (1), the time (1), SÍ."""
    for n, text in enumerate(["Hola", "ana paz vera", "1710034065", "ODONTOLOGÍA", "1", "1",
                                 "SÍ"]):
        assert webhook(ANA_PHONE, text, message_id=f"wamid.{n}").status_code == 200
    booking = booked().get()
    first = slots["dentistry"][0]
    assert (booking.slot, booking.person, booking.booked_for, booking.channel) == (
        first, ana, ana, Channel.WHATSAPP)
    local = first.starts_at.astimezone(timezone.get_default_timezone())
    last = replies_to(ANA_PHONE)[-1]
    assert local.strftime("%H:%M") in last
    assert "Hospital del Día Norte" in last and "Av. Amazonas N36-152" in last
    assert " 30 " in last  # arrive 30 minutes early (R-APT-09)
    assert f"Referencia: {str(booking.public_id)[:8].upper()}." in last
    conv = WhatsAppConversation.objects.get(phone=ANA_PHONE)
    assert conv.whatsapp_opt_in is True and conv.language == "es"


def test_r_apt_07_three_next_free_times_are_offered_numbered(chat, ana, slots):
    reply = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "odontologia", "1")[0]
    lines = [ln for ln in reply.splitlines() if ln[:2] in ("1.", "2.", "3.", "4.")]
    assert [ln[:2] for ln in lines] == ["1.", "2.", "3."]
    assert [ln.split(" a las ")[1][:5] for ln in lines] == ["08:00", "08:20", "08:40"]


def test_r_apt_14_the_city_is_asked_with_the_patients_city_first(chat, ana, slots,
                                                                specialties, make_slot):
    """Issue 12 item 4: no booking in another city without asking. The registered city
    comes first; times are only those of the city chosen."""
    from ventanilla.scheduling.models import Centre

    guayaquil = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-gye",
                                      name="Centro Sur", subdivision_code="090150",
                                      address="Av. 25 de Julio")
    make_slot(guayaquil, specialties["dentistry"], quito_at(2, 8))  # earlier, far away
    ana.subdivision_code = "170150"  # Quito, Pichincha
    ana.save(update_fields=["subdivision_code"])
    ask = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1")[0]
    lines = ask.splitlines()
    assert lines[0].startswith("¿En qué ciudad quiere la cita de Odontología?")
    assert lines[1] == "1. Quito (su ciudad) — 4 horas libres"
    assert lines[2] == "2. Guayaquil — 1 hora libre"
    reply = chat(ANA_PHONE, "1")[0]
    assert "Centro Sur" not in reply and reply.count("Hospital del Día Norte") == 3
    # the city can be written by name, without accents, and changed with CIUDAD
    assert chat(ANA_PHONE, "CIUDAD")[0].startswith("¿En qué ciudad")
    assert chat(ANA_PHONE, "Atlantis")[0].startswith("No encontré esa ciudad")
    reply = chat(ANA_PHONE, "guayaquil")[0]
    assert "Centro Sur" in reply and "Hospital del Día Norte" not in reply


def test_r_apt_14_an_empty_city_offers_the_nearest_cities_with_times(
        chat, ana, clinic, specialties, make_slot):
    """Gloria's case: nothing in her city; the cities that have times are offered, the
    nearest first, across provinces."""
    from ventanilla.scheduling.models import Centre

    Centre.objects.filter(pk=clinic.pk).update(latitude=-0.18, longitude=-78.48)   # Quito
    cuenca = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-cue",
                                   name="Centro Cuenca", subdivision_code="010150",
                                   address="Av. Solano", latitude=-2.90, longitude=-79.00)
    far = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-esm",
                                name="Centro Esmeraldas", subdivision_code="080150",
                                address="Av. Libertad", latitude=0.96, longitude=-79.65)
    near = Centre.objects.create(country="EC", kind=Centre.Kind.MEDICAL, code="ec-azo",
                                 name="Centro Azogues", subdivision_code="030150",
                                 address="Av. 16 de Abril", latitude=-2.74, longitude=-78.85)
    del cuenca
    for centre in (far, near, clinic):
        make_slot(centre, specialties["dentistry"], quito_at(3, 11))
    ana.subdivision_code = "010150"   # Cuenca: no dentistry there
    ana.save(update_fields=["subdivision_code"])
    # her own city has no times: it is named, not offered as a choice (R-APT-14)
    replies = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1")
    assert replies[0].startswith("No hay horas libres para Odontología en Cuenca")
    cities = [ln for ln in replies[1].splitlines() if ln[:2] in ("1.", "2.", "3.", "4.")]
    assert [ln.split(" — ")[0] for ln in cities] == ["1. Azogues", "2. Quito",
                                                     "3. Esmeraldas"]
    assert "Centro Azogues" in chat(ANA_PHONE, "1")[0]


def test_r_apt_07_pediatrics_is_refused_with_the_allowed_list(chat, ana, slots):
    reply = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "PEDIATRÍA")[0]
    assert reply == ("Pediatría no se puede agendar por WhatsApp. Por WhatsApp solo puede "
                     "agendar:\n1. Odontología\n2. Medicina General\nPara otras "
                     "especialidades use el portal o llame al 140, 1800-100-000 o 161.")
    assert not Booking.objects.exists()
    # the conversation goes on: the person can still pick an allowed specialty
    assert "Quito" in chat(ANA_PHONE, "Odontología")[0]     # the city first
    assert "08:00" in chat(ANA_PHONE, "1")[0]


def test_r_apt_07_pediatrics_is_refused_in_english_too(chat, ana, slots):
    reply = chat(ANA_PHONE, "hello", ANA["name"], ANA["id"], "pediatrics")[0]
    assert reply.startswith("Pediatrics cannot be booked by WhatsApp. By WhatsApp you can "
                            "book only:\n1. Dentistry\n2. General Medicine\n")


@pytest.mark.parametrize("typed, specialty", [
    ("ODONTOLOGÍA", "dentistry"), ("odontologia", "dentistry"), ("Dentistry", "dentistry"),
    ("Medicina general", "general_medicine"), ("MEDICINA GENERAL", "general_medicine"),
    ("medicina géneral", "general_medicine"), ("general medicine", "general_medicine"),
])
def test_r_apt_07_accents_and_capitals_are_tolerated(chat, ana, slots, typed, specialty):
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], typed, "1", "1", "si")
    assert booked().get().slot == slots[specialty][0]


def test_r_apt_07_the_name_is_tolerant_of_order_case_and_spaces(chat, ana, slots):
    chat(ANA_PHONE, "Hola", "  PAZ   VERA ana ", "171.003.406-5", "1", "1", "1", "yes")
    assert booked().get().booked_for == ana


def test_r_apt_07_a_stranger_with_a_valid_name_and_id_gets_the_neutral_refusal(
        chat, ana, stranger, slots):
    """Luis knows Ana's name and ID and writes from his own (registered) number."""
    ana_booking = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1", "si")
    assert ana_booking and booked().count() == 1
    reply = chat(STRANGER_PHONE, "Hola", ANA["name"], ANA["id"])
    assert len(reply) == 1
    refusal = reply[0]
    assert "/portal/" in refusal  # how to register the number
    for secret in ("Ana", "Paz", "1710034065", "08:00", "Odontología", "Hospital", "991234567"):
        assert secret not in refusal
    # an unknown ID gets exactly the same words
    assert chat(STRANGER_PHONE, ANA["name"], "0999999999") == reply
    # a wrong name with the right ID and number too
    assert chat(ANA_PHONE, "Hola", "Ana Vera", ANA["id"]) == reply


def test_r_apt_07_a_stranger_cannot_book_cancel_or_list(chat, ana, stranger, slots):
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1", "si")
    ana_booking = booked().get()
    for text in ("MIS CITAS", "CANCELAR 1", "MY APPOINTMENTS", "CANCEL 1"):
        replies = chat(STRANGER_PHONE, text, ANA["name"], ANA["id"])
        assert all("08:00" not in r and "Odontolog" not in r and "Dentistry" not in r
                   for r in replies)
    for text in ("1", "si", "ODONTOLOGIA", "1", "si"):
        chat(STRANGER_PHONE, text)
    ana_booking.refresh_from_db()
    assert ana_booking.status == BookingStatus.BOOKED
    assert list(booked().values_list("booked_for", flat=True)) == [ana.pk]
    conv = WhatsAppConversation.objects.get(phone=STRANGER_PHONE)
    assert conv.person is None and conv.whatsapp_opt_in is False


def test_r_apt_07_repeated_failed_identifications_stop_the_conversation(chat, ana):
    for _ in range(3):
        chat(STRANGER_PHONE, "Hola", ANA["name"], ANA["id"])
    assert chat(STRANGER_PHONE, ANA["name"])[0].startswith("Demasiados intentos")
    # even the right person's details are not tried any more from this number
    assert WhatsAppConversation.objects.get(phone=STRANGER_PHONE).person is None


def test_r_apt_07_a_dependant_is_booked_from_the_holders_number(chat, ana, child, slots):
    chat(ANA_PHONE, "Hola", "Sofía Paz Andrade", child.id_number, "Medicina General", "1",
         "1")
    reply = chat(ANA_PHONE, "SI")[0]
    booking = booked().get()
    assert (booking.person, booking.booked_for) == (ana, child)
    assert "Sofía Paz Andrade" in reply


def test_r_apt_07_a_dependant_is_not_booked_from_a_strangers_number(chat, ana, child, stranger,
                                                                     slots):
    reply = chat(STRANGER_PHONE, "Hola", "Sofía Paz Andrade", child.id_number)
    assert "/portal/" in reply[0] and "Sofía" not in reply[0]


def test_r_apt_09_mis_citas_lists_the_upcoming_appointments(chat, ana, child, slots):
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "2", "si")
    chat(ANA_PHONE, "Hola", "Sofía Paz Andrade", child.id_number, "2", "1", "1", "si")
    reply = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "MIS CITAS")[0]
    lines = [ln for ln in reply.splitlines() if ln[:2] in ("1.", "2.", "3.")]
    assert len(lines) == 2
    assert lines[0].startswith("1. Odontología para Ana Paz Vera") and "08:20" in lines[0]
    assert lines[1].startswith("2. Medicina General para Sofía Paz Andrade") and \
        "09:00" in lines[1]
    assert "llegue 30 minutos antes" in reply


def test_r_apt_09_mis_citas_before_identifying_asks_who_first(chat, ana, slots):
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1", "si")
    WhatsAppConversation.objects.filter(phone=ANA_PHONE).update(
        expires_at=timezone.now() - timedelta(minutes=1))  # a new conversation
    asked = chat(ANA_PHONE, "MIS CITAS")
    assert asked[0] == "Primero necesito saber quién es usted."
    listing = chat(ANA_PHONE, ANA["name"], ANA["id"])[0]
    assert listing.startswith("Sus próximas citas:") and "08:00" in listing


def test_r_apt_04_cancelar_n_cancels_and_frees_the_time(chat, ana, slots):
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1", "si")
    chat(ANA_PHONE, "MIS CITAS")
    reply = chat(ANA_PHONE, "CANCELAR 1")[0]
    assert reply.startswith("Cancelada: Odontología para Ana Paz Vera")
    booking = Booking.objects.get()
    assert booking.status == BookingStatus.CANCELLED
    slots["dentistry"][0].refresh_from_db()
    assert slots["dentistry"][0].booked_count == 0
    assert chat(ANA_PHONE, "CANCELAR 1")[0].startswith("No hay una cita número 1")


def test_r_apt_04_cancelling_too_late_is_refused_by_the_service(chat, ana, clinic, specialties,
                                                                 make_slot, settings):
    settings.WHATSAPP_CONVERSATION_MINUTES = 24 * 60
    make_slot(clinic, specialties["dentistry"], timezone.now() + timedelta(hours=30))
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1", "si")
    assert booked().count() == 1  # 30 hours ahead
    later = timezone.now() + timedelta(hours=20)  # 10 hours before: inside 12 hours
    from ventanilla.whatsapp.conversation import conversation_reply

    reply = conversation_reply(phone=ANA_PHONE, text="CANCELAR 1", now=later).replies[0]
    assert "12 horas" in reply
    assert booked().count() == 1


def test_english_when_the_person_writes_in_english(chat, ana, slots):
    replies = chat(ANA_PHONE, "hello")
    assert WhatsAppConversation.objects.get(phone=ANA_PHONE).language == "en"
    assert replies[0].startswith("Hello! This is the appointments service")
    chat(ANA_PHONE, ANA["name"], ANA["id"], "dentistry", "1", "1")
    assert chat(ANA_PHONE, "yes")[0].startswith("Booked: Dentistry for Ana Paz Vera")


def test_english_when_the_persons_language_is_english(chat, make_affiliate, slots):
    person = make_affiliate()
    person.language = "en"
    person.save(update_fields=["language"])
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"])
    assert WhatsAppConversation.objects.get(phone=ANA_PHONE).language == "en"


def test_spanish_by_default(chat, ana):
    chat(ANA_PHONE, "Buenas")
    assert WhatsAppConversation.objects.get(phone=ANA_PHONE).language == "es"


def test_the_chosen_time_is_held_while_the_person_answers_yes(chat, ana, stranger, slots):
    """The web's 10-minute hold on WhatsApp too: between the number and "SÍ" nobody else
    can take the time."""
    from ventanilla.scheduling.errors import SlotHeld
    from ventanilla.scheduling.services import booking_create

    replies = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1")
    assert "Le guardamos esta hora durante 10 minutos." in replies
    with pytest.raises(SlotHeld):
        booking_create(slot=slots["dentistry"][0], person=stranger, channel=Channel.WEB)
    chat(ANA_PHONE, "si")
    assert booked(booked_for=ana).get().slot == slots["dentistry"][0]


def test_r_apt_10_a_time_taken_meanwhile_offers_fresh_times(chat, ana, stranger, slots):
    from ventanilla.scheduling.models import Slot
    from ventanilla.scheduling.services import booking_create

    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1")
    # the person took longer than the hold to answer, and someone else booked the time
    Slot.objects.filter(pk=slots["dentistry"][0].pk).update(
        held_until=timezone.now() - timedelta(seconds=1))
    booking_create(slot=slots["dentistry"][0], person=stranger, channel=Channel.WEB)
    replies = chat(ANA_PHONE, "si")
    assert "08:20" in replies[-1]
    assert booked(booked_for=ana).count() == 0


def test_no_free_times_is_not_a_dead_end(chat, ana, clinic, specialties):
    ana.subdivision_code = "170150"
    ana.save(update_fields=["subdivision_code"])
    # nothing anywhere: said at once with the numbers to call (R-HLP-01), no city to pick
    replies = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "2")
    assert replies[0].startswith("Ahora no hay horas libres en ninguna ciudad")
    assert "140" in replies[0]
    assert WhatsAppConversation.objects.get(phone=ANA_PHONE).state == "ask_specialty"


def test_a_conversation_forgets_who_was_identified_when_it_expires(chat, ana, slots):
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"])
    WhatsAppConversation.objects.filter(phone=ANA_PHONE).update(
        expires_at=timezone.now() - timedelta(seconds=1))
    chat(ANA_PHONE, "1")
    conv = WhatsAppConversation.objects.get(phone=ANA_PHONE)
    assert conv.person is None and conv.state == "ask_name"


def test_quito_times_are_local(ana, slots):
    assert slots["dentistry"][0].starts_at == quito_at(3, 8)


# --- R-APT-14 on WhatsApp ---------------------------------------------------------------------

def test_r_apt_14_no_second_dentistry_the_same_day_by_whatsapp(chat, ana, slots):
    """The person booked Dentistry at 08:00; asking again offers no time of that day (the
    trap of 20 minutes after the first)."""
    chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "1", "1", "1", "si")
    reply = chat(ANA_PHONE, "odontologia", "1")[0]
    same_day = {f"{quito_at(3, 8, m):%H:%M}" for m in (20, 40)}
    lines = [ln for ln in reply.splitlines() if ln[:2] in ("1.", "2.", "3.")]
    assert len(lines) == 1 and not any(t in lines[0] for t in same_day)
    assert booked().count() == 1


def test_r_apt_14_a_peasant_member_is_told_where_to_go_before_any_time(chat, make_affiliate,
                                                                       slots):
    make_affiliate(affiliation_type="peasant")
    replies = chat(ANA_PHONE, "Hola", ANA["name"], ANA["id"], "odontologia")
    text = "\n".join(replies)
    assert "no incluye este servicio de citas" in text
    assert "Seguro Social Campesino" in text and "140" in text
    assert not any("08:00" in r for r in replies)
    assert "escriba otra especialidad" not in text      # every specialty is refused to him
    assert WhatsAppConversation.objects.get(phone=ANA_PHONE).state == "done"


def test_r_lng_01_a_sentence_in_english_is_answered_in_english(chat, ana, slots):
    replies = chat(ANA_PHONE, "Hi, I need an appointment with the dentist please")
    assert replies[0].startswith("Hello! This is the appointments service")
    chat(ANA_PHONE, ANA["name"], ANA["id"])
    assert chat(ANA_PHONE, "dentistry")[0].startswith("In which city do you want the "
                                                      "Dentistry appointment?")
