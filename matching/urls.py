from django.urls import include, path

app_name = "matching"

urlpatterns = [
    path("", include("matching.group_urls")),
]
