from django.urls import path

from . import views

app_name = "classes"

urlpatterns = [
    path("sessions/<int:pk>/", views.session_page, name="session"),
    path(
        "sessions/<int:pk>/attendances/<int:attendance_pk>/remove/",
        views.remove_attendance,
        name="remove_attendance",
    ),
    path("checkin/<str:token>/", views.checkin, name="checkin"),
]
