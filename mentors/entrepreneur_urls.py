from django.urls import path

from . import views_entrepreneur as views

urlpatterns = [
    path("join/", views.join, name="join"),
    path("me/", views.status, name="status"),
    path("me/edit/", views.edit, name="edit"),
    path("entrepreneurs/<int:pk>/", views.entrepreneur_detail, name="entrepreneur"),
]
