from django.urls import include, path

urlpatterns = [
    path("", include("learning.enrolment_urls")),
    path("", include("learning.study_urls")),
]
