from django.urls import path

from . import (
    views,
    views_callcentre,
    views_callcentre_book,
    views_certificate_issue,
    views_certificates,
    views_dependants,
    views_people,
    views_referrals,
    views_visits,
)

app_name = "staff"

urlpatterns = [
    path("", views.home, name="home"),
    path("entrar/", views.LoginView.as_view(), name="login"),
    path("salir/", views.logout_view, name="logout"),
    path("cola/", views.queue, name="queue"),
    path("mostrador/", views.counter, name="counter"),
    path("solicitudes/<uuid:public_id>/", views.application_detail, name="application"),
    path("solicitudes/<uuid:public_id>/documentos/<slug:kind>/decidir/", views.document_decide,
         name="document_decide"),
    path("solicitudes/<uuid:public_id>/archivos/<uuid:document_id>/", views.document_file,
         name="document_file"),
    path("solicitudes/<uuid:public_id>/<slug:action>/", views.application_decide,
         name="application_decide"),
]

# People at the counter (issue 3): views_people.py
urlpatterns += [
    path("personas/", views_people.person_find_view, name="people_find"),
    path("personas/<uuid:public_id>/", views_people.person_detail, name="person"),
    path("personas/<uuid:public_id>/clave/", views_people.person_clave_issue,
         name="person_clave_issue"),
    path("personas/<uuid:public_id>/desbloquear/", views_people.person_unblock,
         name="person_unblock"),
    path("personas/<uuid:public_id>/bloquear/", views_people.person_block, name="person_block"),
    path("personas/<uuid:public_id>/casos/", views_people.person_case_open,
         name="person_case_open"),
    path("personas/<uuid:public_id>/casos/<str:reference>/", views_people.person_case_opened,
         name="person_case_opened"),
    path("residentes-sin-cobertura/", views_people.residents_lapsed, name="residents_lapsed"),
]

# Dependants (R-DEP-01..03, R-AFF-05): views_dependants.py
urlpatterns += [
    path("dependientes/", views_dependants.request_queue, name="dependant_queue"),
    path("dependientes/<uuid:public_id>/", views_dependants.request_detail,
         name="dependant_request"),
    path("dependientes/<uuid:public_id>/decidir/", views_dependants.request_decide,
         name="dependant_request_decide"),
    path("personas/<uuid:public_id>/dependientes/nueva/", views_dependants.request_new,
         name="person_dependant_new"),
]

# Referrals to second-level specialties (R-APT-08, R-APT-12): views_referrals.py
urlpatterns += [
    path("personas/<uuid:public_id>/referencias/nueva/", views_referrals.referral_new,
         name="person_referral_new"),
]

# Office visits of a service centre (R-REG-07): views_visits.py
urlpatterns += [
    path("visitas/", views_visits.visits_day, name="visits"),
    path("visitas/<uuid:public_id>/asistencia/", views_visits.visit_attendance,
         name="visit_attendance"),
]

# Call centre console (R-APT-06): views_callcentre.py
urlpatterns += [
    path("llamadas/", views_callcentre.caller_find, name="callcentre"),
    path("llamadas/<uuid:public_id>/", views_callcentre.caller_detail, name="callcentre_caller"),
    path("llamadas/<uuid:public_id>/cita/", views_callcentre_book.book_what,
         name="callcentre_book"),
    path("llamadas/<uuid:public_id>/cita/horas/", views_callcentre_book.book_slots,
         name="callcentre_slots"),
    path("llamadas/<uuid:public_id>/citas/<uuid:booking_id>/", views_callcentre.booking_detail,
         name="callcentre_booking"),
    path("llamadas/<uuid:public_id>/citas/<uuid:booking_id>/cambiar/",
         views_callcentre.booking_change, name="callcentre_change"),
    path("llamadas/<uuid:public_id>/citas/<uuid:booking_id>/cancelar/",
         views_callcentre.booking_cancel, name="callcentre_cancel"),
]

# The validators' desk (R-CER-01..05): views_certificates.py
urlpatterns += [
    path("certificados/", views_certificates.certificate_queue, name="certificates"),
    path("certificados/<str:reference>/", views_certificates.certificate_detail,
         name="certificate"),
    path("certificados/<str:reference>/archivos/<uuid:file_id>/",
         views_certificates.certificate_file, name="certificate_file"),
    path("certificados/<str:reference>/<slug:action>/", views_certificates.certificate_decide,
         name="certificate_decide"),
]

# The institution's own rest certificate (R-CER-01): views_certificate_issue.py
urlpatterns += [
    path("citas/<uuid:public_id>/certificado/", views_certificate_issue.certificate_issue,
         name="certificate_issue"),
    path("citas/<uuid:public_id>/certificado/emitido/",
         views_certificate_issue.certificate_issued, name="certificate_issued"),
]
