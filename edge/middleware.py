"""What a reader page must say for the edge to keep it and tag it."""

from edge import backends
from reader.caching import is_storable


class EdgeHeadersMiddleware:
    """A page an anonymous reader may share with others (it names its surrogate
    keys, sets no cookie and does not ask to stay private) gets the configured
    edge's headers: how long to keep it, and its tags in the edge's own form.
    Nothing changes without an edge or for a signed-in user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        edge = backends.current()
        keys = response.get("Surrogate-Key")
        if edge is not None and keys and shareable(request, response):
            for name, value in edge.page_headers(keys.split()).items():
                response[name] = value
        return response


def shareable(request, response) -> bool:
    """The reader's page cache's own rule (``is_storable``), for anonymous readers' GETs
    (a page the page cache served before authentication ran was stored for them)."""
    user = getattr(request, "user", None)
    anonymous = user is None or not user.is_authenticated
    return request.method in ("GET", "HEAD") and anonymous and is_storable(response)
