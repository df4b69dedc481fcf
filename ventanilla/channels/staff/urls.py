from django.urls import path

from . import views

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
