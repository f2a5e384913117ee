"""Rate limits for the API: anonymous callers per address, token holders per token.

Each limit is a setting (``API_RATE_ANONYMOUS``, ``API_RATE_TOKEN``: ``120/m``,
``600/m``; ``s``, ``m``, ``h`` or ``d``), read at each request. Counts live in
the default cache (Redis in production, shared by every process). Over the
limit, django-ninja answers 429 with ``Retry-After``.
"""

from django.conf import settings
from ninja.throttling import SimpleRateThrottle

from api.auth import token_user
from newsroom.clients import client_address


class SettingRateThrottle(SimpleRateThrottle):
    setting = ""

    def __init__(self):
        super().__init__(rate=getattr(settings, self.setting))

    def allow_request(self, request) -> bool:
        self.rate = getattr(settings, self.setting)
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)


class PerAddress(SettingRateThrottle):
    """Callers without a token, by the client's address (``newsroom.clients``)."""

    setting = "API_RATE_ANONYMOUS"

    def get_cache_key(self, request) -> str | None:
        if token_user(request) is not None:
            return None
        return f"api-throttle:address:{client_address(request)}"


class PerToken(SettingRateThrottle):
    """Token holders, each token its own budget."""

    setting = "API_RATE_TOKEN"

    def get_cache_key(self, request) -> str | None:
        token = getattr(request, "api_token", None)
        return None if token is None else f"api-throttle:token:{token.pk}"
