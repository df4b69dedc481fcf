from django.urls import path

from . import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("entrar/", views.sign_in, name="login"),
    path("salir/", views.sign_out, name="logout"),
    path("clave/", views.clave_set, name="clave_set"),
    path("clave/en-linea/", views.clave_online, name="clave_online"),
    path("clave/enlace/<str:token>/", views.clave_link, name="clave_link"),
    path("aportes/", views.contributions, name="contributions"),
    path("aportes/reportar-error/", views.contribution_error, name="contribution_error"),
    path("tramites/nuevo/", views.in_person_matter, name="in_person_matter"),
    path("tramites/<str:reference>/", views.case_detail, name="case"),
    path("visitas/", views.visits, name="visits"),
    path("visitas/identificarse/", views.visitor, name="visitor"),
    path("visitas/codigo/", views.visitor_code, name="visitor_code"),
    path("visitas/nueva/", views.visit_new, name="visit_new"),
    path("visitas/nueva/fecha/", views.visit_date, name="visit_date"),
    path("visitas/nueva/hora/", views.visit_time, name="visit_time"),
    path("visitas/<uuid:public_id>/", views.visit, name="visit"),
    path("visitas/<uuid:public_id>/cancelar/", views.visit_cancel, name="visit_cancel"),
    path("visitas/<uuid:public_id>/cita.ics", views.visit_document, {"kind": "ics"},
         name="visit_ics"),
    path("visitas/<uuid:public_id>/cita.pdf", views.visit_document, {"kind": "pdf"},
         name="visit_pdf"),
    path("dependientes/", views.dependants, name="dependants"),
    path("dependientes/nueva/", views.dependant_new, name="dependant_new"),
    path("dependientes/nueva/datos/", views.dependant_details, name="dependant_details"),
    path("dependientes/solicitudes/<uuid:public_id>/", views.dependant_request,
         name="dependant_request"),
]
