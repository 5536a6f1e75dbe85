"""Password reset by a code texted to the phone, built on allauth's login by code.

allauth's own reset by code sends email, which phone sign-up never asks for. Its login
by code texts a code to the number instead; a person who enters it has proved they hold
the phone, so for a short while afterwards they may set a new password without the old
one (``may_set_new_password``).
"""

import time

from allauth.account.signals import authentication_step_completed
from django.dispatch import receiver

# How long after proving the phone by code a new password may be set.
NEW_PASSWORD_WINDOW_SECONDS = 10 * 60
_SESSION_KEY = "accounts_phone_proved_at"


@receiver(authentication_step_completed)
def remember_phone_proved_by_code(sender, request, method, **kwargs):
    if method == "code":
        request.session[_SESSION_KEY] = time.time()


def may_set_new_password(request) -> bool:
    proved_at = request.session.get(_SESSION_KEY)
    return proved_at is not None and time.time() - proved_at <= NEW_PASSWORD_WINDOW_SECONDS


def forget_phone_proof(request) -> None:
    request.session.pop(_SESSION_KEY, None)
