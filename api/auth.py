"""Who is calling: anonymous, or the user behind an API token.

A token is sent as ``Authorization: Bearer nr_…``. Reading needs none (and
sees what readers see); a token that is unknown, revoked or belongs to an
inactive user is refused with 401 everywhere, never treated as anonymous.
"""

import datetime as dt

from django.contrib.auth.base_user import AbstractBaseUser
from django.utils import timezone
from ninja.security import HttpBearer

from api.models import ApiToken

# last_used_at is written at most this often per token (not on every request).
LAST_USED_PRECISION = dt.timedelta(minutes=5)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        found = ApiToken.objects.usable().select_related("user").filter(digest=ApiToken.digest_of(token)).first()
        if found is None:
            return None
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=found.pk).update(last_used_at=now)
        request.user, request.api_token = found.user, found
        return found.user


def anonymous(request):
    """Lets a request without any ``Authorization`` header through (as anonymous)."""
    return "Authorization" not in request.headers


token_auth = TokenAuth()
# Reading: a valid token, or none at all.
token_or_anonymous = [token_auth, anonymous]


def token_user(request):
    """The user whose token the request carries, or None (a session cookie does not count)."""
    return request.auth if isinstance(request.auth, AbstractBaseUser) else None
