from django.urls import path

from . import views_study

urlpatterns = [
    path("heartbeat/", views_study.heartbeat, name="heartbeat"),
]
