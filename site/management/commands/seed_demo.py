from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.demo import DEMO_PASSWORD, DEMO_USERS, load_demo_users
from courses.demo import load_demo_courses
from courses.models import CoursePage
from coverage.demo import load_demo_coverage
from mentors.demo import load_demo_mentors
from regions.demo import load_demo_regions


class Command(BaseCommand):
    help = (
        "Load demo regions, accounts, courses, experts and entrepreneurs, and a made-up "
        "registry with classes for the coverage dashboard. "
        "Running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--quiet-logins", action="store_true", help="Do not print the demo logins."
        )

    @transaction.atomic
    def handle(self, *args, **options):
        regions = load_demo_regions()
        users = load_demo_users()
        courses = load_demo_courses(instructors=[users["instructor"]])
        mentors = load_demo_mentors(
            expert_user=users["expert"], entrepreneur_user=users["entrepreneur"]
        )
        coverage = load_demo_coverage(
            courses=list(CoursePage.objects.live().filter(is_demo_data=True).order_by("pk")),
            instructor=users["instructor"],
            # The returning graduate studied online; the demo trainee starts with nothing.
            online_learner=users["entrepreneur"],
            county_staff=users["county staff"],
        )
        self.stdout.write(f"Regions: {regions}")
        self.stdout.write(f"Courses: {courses}")
        self.stdout.write(f"Lecturer team: {mentors}")
        self.stdout.write(f"Coverage (made-up registry and classes, 2018–2020): {coverage}")
        if not options["quiet_logins"]:
            self.stdout.write("Demo logins (mobile / password):")
            for phone, name, _group, _superuser, role in DEMO_USERS:
                self.stdout.write(f"  {role:<15} {phone}  {DEMO_PASSWORD}  ({name})")
