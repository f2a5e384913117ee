"""The admin site: django-otp's, asking for a second factor of those who need one."""

from functools import update_wrapper

from django.conf import settings
from django.contrib.admin import AdminSite
from django.shortcuts import redirect
from django.urls import path, reverse
from django_otp.admin import OTPAdminSite

from accounts import views
from accounts.forms import StaffLoginForm
from accounts.policy import has_device, needs_second_factor


class NewsroomAdminSite(OTPAdminSite):
    login_form = StaffLoginForm
    site_header = f"{settings.SITE_NAME} 编辑后台"
    site_title = settings.SITE_NAME
    # The article list needs the width at 1280 px; the header and breadcrumbs already lead everywhere.
    enable_nav_sidebar = False

    def __init__(self, name="admin"):
        super().__init__(name)

    def has_permission(self, request):
        """Staff as usual; those ``SECOND_FACTOR_FOR`` names only once verified by their code."""
        verified = request.user.is_verified() or not needs_second_factor(request.user)
        return AdminSite.has_permission(self, request) and verified

    def admin_view(self, view, cacheable=False):
        """Staff who must use a second factor and have none yet are sent to enrol first."""
        guarded = super().admin_view(view, cacheable)

        def inner(request, *args, **kwargs):
            if must_enrol(request.user):
                return redirect(reverse("admin:second_factor"))
            return guarded(request, *args, **kwargs)

        return update_wrapper(inner, view)

    def get_urls(self):
        enrol = path("second-factor/", views.enrol, {"site": self}, name="second_factor")
        return [enrol, *super().get_urls()]


def must_enrol(user) -> bool:
    """A staff user who needs a second factor and has none (a verified session has one: no query)."""
    if not (user.is_active and user.is_staff) or user.is_verified():
        return False
    return needs_second_factor(user) and not has_device(user)
