from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from accounts.views import StaffPasswordResetView
from api.indexing import key_file as indexnow_key_file
from newsroom.health import healthz

# The 500 page gets the site's name, and nothing that could fail again (no database).
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # Staff reset a forgotten password by e-mail (Django's views; the admin's login page links here).
    path("admin/password_reset/", StaffPasswordResetView.as_view(), name="admin_password_reset"),
    path("admin/password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("ingest/", include("ingest.urls")),
    path("", include("reader.urls")),
    # IndexNow's proof of the site's key (api/indexing.py); 404 for any other name.
    path("<str:key>.txt", indexnow_key_file, name="indexnow-key"),
]

# Uploaded and imported images; production serves media from object storage or the web server.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
