"""Who must sign in with a second factor (``SECOND_FACTOR_FOR``)."""

from django.conf import settings
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

PUBLISH_PERMISSION = "articles.publish_article"


def needs_second_factor(user) -> bool:
    """``superusers``: superusers only; ``publishers`` (the default): superusers and
    whoever may publish; ``staff``: every staff user; ``none``: nobody."""
    scope = settings.SECOND_FACTOR_FOR
    if not user.is_authenticated or scope == "none":
        return False
    if user.is_superuser or scope == "staff" and user.is_staff:
        return True
    return scope == "publishers" and user.has_perm(PUBLISH_PERMISSION)


def has_device(user) -> bool:
    """Whether ``user`` has enrolled a second factor (a confirmed authenticator app)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def forget_devices(users) -> int:
    """Delete these users' authenticator apps and backup codes (a lost phone): each
    enrols again at their next login. Returns how many devices went."""
    ids = [user.pk for user in users]
    apps, _ = TOTPDevice.objects.filter(user_id__in=ids).delete()
    codes, _ = StaticDevice.objects.filter(user_id__in=ids).delete()
    return apps + codes
