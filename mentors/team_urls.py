from django.urls import path

from . import views_team

urlpatterns = [
    path("", views_team.team, name="team"),
]
