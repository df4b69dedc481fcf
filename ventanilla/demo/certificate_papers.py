"""The demo's sick-leave certificates as data: who, which paper, and what became of it.

Days are counted from the day the demo is loaded (``0``: that day, ``-3``: three days
before), so the queue always has something due today, something overdue and papers still
within their deadlines. ``ventanilla/demo/certificates.py`` submits each through the
services, as of its day, and takes the validator's decision on the day given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# The letterheads (R-CER-01): fictitious doctors and practices, with registration codes in
# each country's format (Ecuador: the MSP / SENESCYT code; Peru: the CMP number).
DOCTORS = {
    "merced": dict(
        doctor_name="Dra. Lucía Andrade Vela", doctor_specialty="Medicina interna",
        establishment="Clínica La Merced", doctor_email="l.andrade@lamerced.ec",
        doctor_registration="1005-2016-1727394", establishment_phone="02 245 6789",
        establishment_address="Av. 10 de Agosto N24-35, Quito", issued_place="Quito"),
    "paredes": dict(
        doctor_name="Dr. Xavier Paredes Mora", doctor_specialty="Medicina general",
        establishment="Consultorio Médico Paredes",
        doctor_email="xparedes@consultorioparedes.ec", doctor_registration="1006-2012-1458233",
        establishment_phone="04 228 3344",
        establishment_address="Av. de las Américas 1203, Guayaquil", issued_place="Guayaquil"),
    "cecilia": dict(
        doctor_name="Dr. Santiago Ruiz Benítez", doctor_specialty="Cirugía general",
        establishment="Hospital Santa Cecilia", doctor_email="sruiz@hsantacecilia.ec",
        doctor_registration="1027-2009-1712345", establishment_phone="04 259 1500",
        establishment_address="Av. Carlos Julio Arosemena km 2,5, Guayaquil",
        issued_place="Guayaquil"),
    "santa_ana": dict(
        doctor_name="Dra. Verónica Salazar Núñez",
        doctor_specialty="Ginecología y obstetricia",
        establishment="Clínica Materno Infantil Santa Ana",
        doctor_email="vsalazar@clinicasantaana.ec", doctor_registration="1005-2011-1623489",
        establishment_phone="02 255 7788", establishment_address="Av. América N32-44, Quito",
        issued_place="Quito"),
    "san_gabriel": dict(
        doctor_name="Dr. César Rojas Paredes", doctor_specialty="Traumatología",
        establishment="Clínica San Gabriel", doctor_email="crojas@clinicasangabriel.pe",
        doctor_registration="CMP 045123", establishment_phone="01 614 5000",
        establishment_address="Av. La Marina 2955, San Miguel, Lima", issued_place="Lima"),
    "santa_lucia": dict(
        doctor_name="Dra. Ana María Quispe Luna", doctor_specialty="Medicina interna",
        establishment="Clínica Santa Lucía del Rímac", doctor_email="aquispe@santalucia.pe",
        doctor_registration="CMP 052310", establishment_phone="01 619 6000",
        establishment_address="Jr. Trujillo 455, Rímac, Lima", issued_place="Lima"),
    "santa_rosa": dict(
        doctor_name="Dra. Milagros Vargas Ccahuana", doctor_specialty="Medicina general",
        establishment="Policlínico Santa Rosa", doctor_email="mvargas@polisantarosa.pe",
        doctor_registration="CMP 061234", establishment_phone="084 234 567",
        establishment_address="Av. de la Cultura 1020, Cusco", issued_place="Cusco"),
    "vallesol": dict(
        doctor_name="Dr. Raúl Benavides Soto", doctor_specialty="Medicina interna",
        establishment="Clínica Vallesol", doctor_email="rbenavides@clinicavallesol.pe",
        doctor_registration="CMP 032781", establishment_phone="054 599 000",
        establishment_address="Av. Porongoche 500, Paucarpata, Arequipa",
        issued_place="Arequipa"),
}


@dataclass(frozen=True)
class Paper:
    key: str                       # how the tests and the README name it
    country: str
    patient: str                   # the patient's ID number
    names: str                     # as the ID card prints them (R-CER-01)
    doctor: str                    # a key of DOCTORS
    icd10: str
    diagnosis: str
    rest: tuple[int, int]          # first and last day of rest
    submitted: int                 # the day it was submitted
    kind: str = "illness"
    submitter: str = ""            # the holder's ID number, for a dependant
    outcome: str = "waiting"       # waiting | returned | validated | rejected
    decided: int = 0
    reasons: tuple[str, ...] = ()
    note: str = ""
    late_reason: str = ""
    flaws: frozenset[str] = frozenset()   # drawn on the scan: see demo/scans.py
    scan: str = "jpeg"             # a phone's photo; "png" a screenshot, "pdf" a scanner's
    issued: int | None = None      # default: the first day of rest
    extra: dict = field(default_factory=dict)   # R-CER-02, as days or text


PEDRO, MARCELA, WASHINGTON = "0912345675", "1708882228", "0908884448"
ANDREA, DIEGO, CARMEN = "1708881113", "1712345675", "1705551230"
JUAN_CARLOS, LUCIA, MARIBEL, VICTOR = "40123456", "40123457", "45678912", "41234567"

PAPERS: tuple[Paper, ...] = (
    # --- Ecuador: what the "done means" walk decides -------------------------------------
    Paper("ec_valid", "EC", PEDRO, "CEVALLOS INTRIAGO PEDRO PABLO", "paredes", "J06.9",
          "Infección aguda de las vías respiratorias superiores", (-2, 0), 0),
    Paper("ec_three_reasons", "EC", MARCELA, "JARAMILLO VERA MARCELA INÉS", "merced",
          "M54.5", "Lumbalgia aguda", (-3, 1), -1, scan="png",
          flaws=frozenset({"no_letterhead", "no_stamp", "amended"})),
    Paper("ec_hospitalisation", "EC", WASHINGTON, "MERO ZAMBRANO WASHINGTON EFRAÍN",
          "cecilia", "K35.8", "Apendicitis aguda", (-6, 8), -1, kind="hospitalisation",
          issued=-3, scan="pdf", extra={"admitted_on": -6, "discharged_on": -3,
                                      "procedure": "Apendicectomía laparoscópica"}),
    Paper("ec_maternity", "EC", ANDREA, "ORTEGA PAZMIÑO ANDREA LUCÍA", "santa_ana", "O80.0",
          "Parto único espontáneo", (-4, 23), -2, kind="maternity",
          extra={"delivered_on": -4, "live_birth": "yes", "pregnancy_weeks": "39",
                 "baby_sex": "female"}),
    # --- Ecuador: the rest of the queue and the history ----------------------------------
    Paper("ec_overdue", "EC", DIEGO, "PAREDES LEMA DIEGO ARMANDO", "merced", "A09.0",
          "Gastroenteritis aguda de origen infeccioso", (-12, -10), -9),
    Paper("ec_late", "EC", WASHINGTON, "MERO ZAMBRANO WASHINGTON EFRAÍN", "paredes",
          "J11.1", "Influenza", (-40, -36), -3,
          late_reason="Estuve fuera de la ciudad cuidando a mi madre enferma y envío el "
                      "certificado al volver."),
    Paper("ec_overlap", "EC", CARMEN, "VÁSQUEZ TORRES CARMEN ELENA", "merced", "J20.9",
          "Bronquitis aguda", (-2, 1), 0),   # overlaps her IESS certificate (below)
    Paper("ec_returned", "EC", PEDRO, "CEVALLOS INTRIAGO PEDRO PABLO", "paredes", "S93.4",
          "Esguince de tobillo derecho", (-20, -18), -17, outcome="returned", decided=-15,
          flaws=frozenset({"no_stamp"}),
          note="No se ve el sello del médico: tome una foto de toda la hoja, con el sello, "
               "y súbala de nuevo."),
    Paper("ec_validated", "EC", MARCELA, "JARAMILLO VERA MARCELA INÉS", "merced", "N39.0",
          "Infección de vías urinarias", (-45, -43), -44, outcome="validated", decided=-42),
    Paper("ec_validated_hospitalisation", "EC", DIEGO, "PAREDES LEMA DIEGO ARMANDO",
          "cecilia", "K80.2", "Colelitiasis", (-80, -66), -77, kind="hospitalisation",
          issued=-78, outcome="validated", decided=-75,
          extra={"admitted_on": -80, "discharged_on": -78,
                 "procedure": "Colecistectomía laparoscópica"}),
    Paper("ec_validated_maternity", "EC", ANDREA, "ORTEGA PAZMIÑO ANDREA LUCÍA",
          "santa_ana", "O82.0", "Parto por cesárea electiva", (-730, -703), -728,
          kind="maternity", outcome="validated", decided=-725,
          extra={"delivered_on": -730, "live_birth": "yes", "pregnancy_weeks": "38",
                 "baby_sex": "male"}),
    Paper("ec_rejected", "EC", DIEGO, "PAREDES LEMA DIEGO ARMANDO", "merced", "J06.9",
          "Faringitis aguda", (-50, -48), -49, outcome="rejected", decided=-47,
          reasons=("handwritten", "no_stamp", "amended"), flaws=frozenset({"no_stamp",
                                                                             "amended"})),
    # --- Peru -----------------------------------------------------------------------------
    Paper("pe_25_days", "PE", JUAN_CARLOS, "HUAMÁN FLORES JUAN CARLOS", "san_gabriel",
          "S82.6", "Fractura del maléolo externo del tobillo izquierdo", (-4, 20), -2,
          kind="accident", scan="pdf"),
    Paper("pe_valid", "PE", MARIBEL, "CONDORI APAZA MARIBEL", "santa_rosa", "J06.9",
          "Infección aguda de las vías respiratorias superiores", (-1, 1), 0, scan="png"),
    Paper("pe_hospitalisation", "PE", LUCIA, "TORRES VEGA LUCÍA", "santa_lucia", "K85.9",
          "Pancreatitis aguda", (-7, 2), -2, kind="hospitalisation", submitter=JUAN_CARLOS,
          issued=-3, extra={"admitted_on": -7, "discharged_on": -3,
                            "procedure": "Hidratación endovenosa, analgesia y ecografía "
                                         "abdominal"}),
    Paper("pe_overdue", "PE", MARIBEL, "CONDORI APAZA MARIBEL", "santa_rosa", "A09.0",
          "Gastroenteritis aguda", (-11, -9), -9),
    Paper("pe_validated", "PE", VICTOR, "SALAS MENDOZA VÍCTOR RAÚL", "vallesol", "J11.1",
          "Influenza", (-8, -4), -7, outcome="validated", decided=-5),
    Paper("pe_overlap", "PE", VICTOR, "SALAS MENDOZA VÍCTOR RAÚL", "vallesol", "J20.9",
          "Bronquitis aguda", (-5, -2), -1),   # overlaps his validated one (below)
    Paper("pe_citt", "PE", JUAN_CARLOS, "HUAMÁN FLORES JUAN CARLOS", "santa_lucia",
          "J18.9", "Neumonía adquirida en la comunidad", (-150, -123), -149,
          outcome="validated", decided=-147),
    Paper("pe_validated_hospitalisation", "PE", LUCIA, "TORRES VEGA LUCÍA", "santa_lucia",
          "K80.2", "Colelitiasis", (-200, -186), -197, kind="hospitalisation",
          submitter=JUAN_CARLOS, issued=-198, outcome="validated", decided=-195,
          extra={"admitted_on": -200, "discharged_on": -198,
                 "procedure": "Colecistectomía laparoscópica"}),
    Paper("pe_validated_maternity", "PE", MARIBEL, "CONDORI APAZA MARIBEL", "santa_rosa",
          "O80.0", "Parto único espontáneo", (-420, -323), -418, kind="maternity",
          outcome="validated", decided=-415,
          extra={"delivered_on": -420, "live_birth": "yes", "pregnancy_weeks": "40",
                 "baby_sex": "female"}),
    Paper("pe_rejected", "PE", VICTOR, "SALAS MENDOZA VÍCTOR RAÚL", "vallesol", "M54.5",
          "Lumbalgia", (-30, -28), -29, outcome="rejected", decided=-27,
          reasons=("no_letterhead", "illegible", "fields_mismatch"),
          flaws=frozenset({"no_letterhead"}),
          note="El certificado dice 2 días de reposo; en el formulario escribió 3."),
    Paper("pe_returned", "PE", MARIBEL, "CONDORI APAZA MARIBEL", "santa_rosa", "N39.0",
          "Infección de vías urinarias", (-25, -23), -24, outcome="returned", decided=-22,
          note="La foto está borrosa y no se lee el sello: tómela de nuevo con buena luz."),
)

# R-CER-01: the institution's own rest certificates, recorded by the demo clinicians for an
# appointment attended at their centre, ``days_ago`` (moved to a weekday before) and
# ``rest_days`` long from that day.
INSTITUTION: tuple[dict, ...] = (
    dict(key="ec_institution", country="EC", patient=CARMEN, centre="ec-med-quito-central",
         clinician="medico.ec", days_ago=3, rest_days=3, icd10="J00",
         diagnosis="Rinofaringitis aguda (resfriado común)"),
    dict(key="pe_institution", country="PE", patient=JUAN_CARLOS,
         centre="pe-med-lima-jesus-maria", clinician="medico.pe", days_ago=21, rest_days=3,
         icd10="J02.9", diagnosis="Faringitis aguda"),
)

# The late Ecuadorian paper of the "done means" walk: typed by Pedro in the portal, it asks
# for its justification (R-CER-04: more than 8 working days after the last day of rest).
LATE_WALK: dict[str, str] = dict(patient=PEDRO, doctor="paredes", issued_on="02/11/2026",
                 rest_start="02/11/2026", rest_end="04/11/2026", rest_days="3",
                 rest_days_words="tres", icd10="J06.9", last_day="16 November 2026")
