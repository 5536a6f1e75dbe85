"""The instructor marks someone present on the session page (点名).

For a villager without a phone, a typed name and ID-card number; for a trainee with an
account, their mobile number alone is enough (the name comes from the account).
"""

from .attendance import identify_person, record_attendance
from .models import Attendance


def mark_attendance(session, *, name, id_number="", phone="", by):
    """Record the person described as attending ``session``: (attendance, created).

    Raises ValidationError keyed by "name", "id_number" or "phone" (or non-field) when
    the description is not enough to know who it is; the ID-card number is never in it.
    """
    person = identify_person(name=name, id_number=id_number, phone=phone)
    return record_attendance(session, person, method=Attendance.Method.INSTRUCTOR, by=by)
