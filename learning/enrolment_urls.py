from django.urls import path

from . import views_enrolment as views

urlpatterns = [
    path("", views.my_learning_page, name="my_learning"),
    path("courses/<int:course_id>/enrol/", views.enrol_in_course, name="enrol"),
    path("courses/<int:course_id>/leave/", views.leave_course, name="leave_course"),
    path("certificates/<str:code>/", views.certificate, name="certificate"),
    path("certificates/<str:code>.png", views.certificate_image, name="certificate_png"),
    path("verify/", views.verify, name="verify"),
    path("verify/<str:code>/", views.verify_code, name="verify_code"),
]
