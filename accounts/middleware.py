from allauth.core.exceptions import RateLimited
from allauth.core.ratelimit import respond_429


class RateLimitedMiddleware:
    """Answers allauth's ``RateLimited`` with the 429 page wherever a view lets it escape.

    allauth turns most limits into a 429 itself, but a text sent from inside a flow (the
    code after sign-up, or after logging in with an unverified number) raises instead;
    uncaught, that is a 500. With ATOMIC_REQUESTS the view's writes are rolled back by the
    time this runs, so a sign-up stopped here leaves no half-made account behind.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, RateLimited):
            return respond_429(request)
        return None
