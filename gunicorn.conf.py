"""gunicorn settings, read by ``gunicorn newsroom.wsgi`` from the working directory.

Everything an operator tunes comes from the environment (see README).
"""

import os

bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers: one request at a time each, so a slow page never starves
# another in the same process. Rule of thumb: 2 per core.
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * (os.cpu_count() or 1)))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 20

# The app writes its own line per request (with the request id, to stdout);
# GUNICORN_ACCESS_LOG=- adds gunicorn's as well.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
access_log_format = '%({x-request-id}o)s %(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"

# Several gunicorns may run on one machine (tests, benchmarks): no shared control socket.
control_socket_disable = True
