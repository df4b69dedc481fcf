from django.urls import path

from . import views

app_name = "registration"

urlpatterns = [
    path("", views.home, name="home"),
    path("registro/", views.start, name="start"),
    path("registro/<str:country>/correo/", views.email, name="email"),
    path("solicitud/codigo/", views.email_code, name="code"),
    path("solicitud/", views.task_list, name="tasks"),
    path("solicitud/preguntas/<slug:slug>/", views.question, name="question"),
    path("solicitud/documentos/", views.documents, name="documents"),
    path("solicitud/documentos/<slug:kind>/", views.upload, name="upload"),
    path("solicitud/documentos/<slug:kind>/eliminar/", views.remove_document,
         name="remove_document"),
    path("solicitud/revisar/", views.check, name="check"),
    path("solicitud/declaracion/", views.declaration, name="declaration"),
    path("solicitud/confirmacion/", views.confirmation, name="confirmation"),
    path("solicitud/tarjeta.pdf", views.card, name="card"),
    path("solicitud/continuar/", views.resume_request, name="resume_request"),
    path("solicitud/continuar/<str:token>/", views.resume, name="resume"),
    path("tramites/", views.case_lookup, name="case_lookup"),
    path("consulta-sis/", views.plan_status, name="plan_status"),
    path("verificar/<str:code>/", views.verify, name="verify"),
]
