from django_otp import user_has_device
from django_otp.admin import OTPAdminAuthenticationForm


class StaffLoginForm(OTPAdminAuthenticationForm):
    """The admin's login: a password, then the code of the user's authenticator
    app (or a backup code) if they have enrolled one. Whether a user without one
    may go on is the admin site's decision (``accounts.policy``): they are sent
    to enrol."""

    def clean_otp(self, user):
        if user is not None and user_has_device(user):
            super().clean_otp(user)
