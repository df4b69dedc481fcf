"""The public pages of sick-leave certificates (namespace ``web``: the receipt's QR code
reverses ``web:certificate_verify``)."""

from django.urls import path

from . import views_certificates

app_name = "web"

urlpatterns = [
    path("certificados/verificar/", views_certificates.certificate_verify,
         name="certificate_verify"),
]
