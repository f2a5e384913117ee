from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path

from newsroom.health import healthz

admin.site.site_header = f"{settings.SITE_NAME} 编辑后台"
admin.site.site_title = settings.SITE_NAME
# The article list needs the width at 1280 px; the header and breadcrumbs already lead everywhere.
admin.site.enable_nav_sidebar = False
# The 500 page gets the site's name, and nothing that could fail again (no database).
handler500 = "newsroom.errors.server_error"

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("", include("reader.urls")),
]

# Uploaded and imported images; production serves media from object storage or the web server.
urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
