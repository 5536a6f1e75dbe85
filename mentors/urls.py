from django.urls import include, path

app_name = "mentors"

# The public team page and the entrepreneurs' own pages are separate concerns.
urlpatterns = [
    path("team/", include("mentors.team_urls")),
    path("", include("mentors.entrepreneur_urls")),
]
