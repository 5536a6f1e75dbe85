from django.urls import path

from . import views

# Included before allauth's URLs under the same prefix: the reset path replaces allauth's
# email-only reset, and login by code (where allauth sends someone who typed a wrong code
# three times) is that same reset, the only use of a texted code to log in.
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("password/reset/", views.password_reset, name="account_reset_password"),
    path("login/code/", views.password_reset, name="account_request_login_code"),
    path("password/reset/new/", views.set_new_password, name="account_set_new_password"),
]
