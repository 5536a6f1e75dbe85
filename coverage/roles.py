"""Who sees the coverage figure: the 商务局 and 县级商务部门 groups.

商务局 (the municipal commerce bureau) sees every county, approves the counties'
submissions and may see unmasked names and ID-card numbers (``view_personal_data``,
each view audited). 县级商务部门 (county commerce staff) see their own county only,
the one on their ``CountyOfficer`` row, submit its figures, and see names masked.
coverage.access answers the questions; this module only sets the groups up.

The function takes an ``apps`` registry so that the data migration runs the very same
code with its historical models; it only adds what is missing, so it is safe to run
any number of times.
"""

from django.apps import apps as global_apps

from accounts.grants import grant

# Group names are records in the database, shown as they are in the admin, so they
# are stored in Chinese rather than translated.
BUREAU = "商务局"
COUNTY_STAFF = "县级商务部门"

# (app_label, codename) per group.
GROUP_PERMISSIONS = {
    BUREAU: [
        ("wagtailadmin", "access_admin"),
        ("coverage", "view_personal_data"),
        ("coverage", "view_registrymember"),
        # Adding members is what importing the registry does (the sheets upload).
        ("coverage", "add_registrymember"),
        ("coverage", "view_submission"),
        ("coverage", "change_submission"),
    ],
    COUNTY_STAFF: [
        ("coverage", "view_submission"),
        ("coverage", "add_submission"),
    ],
}


def ensure_coverage_groups(apps=global_apps):
    """Create both groups with their permissions; returns ``{name: group}``."""
    return {name: grant(name, permissions, apps) for name, permissions in GROUP_PERMISSIONS.items()}
