"""Who is asking: the client's address, the same rule for login lockouts, API
throttling and read counting.

Behind ``TRUSTED_PROXY_COUNT`` proxies (a load balancer, Varnish, nginx) the
address is the one the outermost of them saw, read from the right of
``X-Forwarded-For``; any addresses a client put further left are ignored, so
it cannot choose its own. With no trusted proxy the header is not read at all.
"""

from django.conf import settings


def client_address(request) -> str:
    proxies = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if proxies and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",")]
        return hops[-min(proxies, len(hops))]
    return request.META.get("REMOTE_ADDR", "")
