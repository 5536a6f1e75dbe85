from django.urls import path

from . import views_group as views

urlpatterns = [
    path("group/", views.group, name="group"),
    path("my-mentor/", views.mentor, name="mentor"),
]
