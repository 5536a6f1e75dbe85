from django.urls import path

from . import views

# Included before allauth's URLs under the same prefix: the reset path replaces allauth's
# email-only reset.
urlpatterns = [
    path("profile/", views.profile, name="profile"),
    path("password/reset/", views.password_reset, name="account_reset_password"),
    path("password/reset/new/", views.set_new_password, name="account_set_new_password"),
]
