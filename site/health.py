"""The health check at /healthz/: the web process is up and answering.

It touches neither the database nor the cache, so a proxy or a supervisor can ask it
often, and the load benchmark (benchmarks/load.py) measures with it what the stack itself
costs (gunicorn, Django's middleware, a view) beside the real pages.
"""

from django.db import transaction
from django.http import HttpResponse
from django.views.decorators.http import require_safe


# ATOMIC_REQUESTS would open a transaction, and with it a database connection.
@transaction.non_atomic_requests
@require_safe
def healthz(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
