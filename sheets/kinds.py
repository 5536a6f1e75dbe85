"""The kinds of sheet the CMS takes, each registered by the app that imports it.

Keeping the list here lets one upload view, one status page and one pair of tasks serve
them all, while sheets imports nothing from the apps above it.
"""

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

KINDS = {}


@dataclass(frozen=True)
class SheetKind:
    """One kind of sheet.

    ``run(file, *, dry_run, progress, options, user)`` imports it and returns an
    ImportResult (``user`` is who confirmed the import, or uploaded it for the check);
    ``permission`` ("app_label.codename") says who may upload it. Where an upload is
    for one record (a class's sign-in sheet is for its session), ``options_for(user,
    query)`` reads that from the upload page's query (or an upload's stored options),
    checks the user may use it, and returns the options passed to ``run``;
    ``describe(options)`` names it on the pages; ``landing(options)``, where given, is
    the URL the confirming user lands on once the import is done (a class's sign-in
    sheet leads to its attendee list).
    """

    slug: str
    title: str
    layout: object
    run: Callable
    permission: str
    notes: tuple = ()
    sample: Path | None = None
    options_for: Callable | None = None
    describe: Callable | None = None
    # Other ways to upload the same kind: (label, query string), shown as links.
    variants: tuple = ()
    landing: Callable | None = None

    def allows(self, user) -> bool:
        return user.is_active and user.has_perm(self.permission)


def register(kind: SheetKind) -> SheetKind:
    KINDS[kind.slug] = kind
    return kind
