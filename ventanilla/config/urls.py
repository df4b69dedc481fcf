from django.contrib import admin
from django.urls import include, path

from ventanilla.channels.staff.forms import AdminLoginForm
from ventanilla.channels.web.views import session_keepalive
from ventanilla.demo import views as demo_views
from ventanilla.demo import whatsapp as demo_whatsapp

from .api import api

# The admin signs in with the staff sign-in form (the username bounded by its column).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", api.urls),
    path("admin/", admin.site.urls),
    path("staff/", include("ventanilla.channels.staff.urls")),
    path("portal/", include("ventanilla.channels.portal.urls")),
    path("demo/correo/", demo_views.mailbox, name="demo_mailbox"),
    path("demo/whatsapp/", demo_whatsapp.simulator, name="demo_whatsapp"),
    path("sesion/seguir/", session_keepalive, name="session_keepalive"),
    path("", include("ventanilla.channels.web.urls_certificates")),
    path("", include("ventanilla.channels.web.urls")),
]

handler400 = "ventanilla.channels.web.errors.bad_request"
handler403 = "ventanilla.channels.web.errors.permission_denied"
handler404 = "ventanilla.channels.web.errors.page_not_found"
handler500 = "ventanilla.channels.web.errors.server_error"
