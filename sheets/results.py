"""What an import did, or, on a dry run, would do: one shape for every importer."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _


@dataclass
class Tally:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deactivated


@dataclass
class ImportResult:
    """Counts per kind of record (``tally("villages")``), in the order first counted, and
    lines an importer adds (a figure before and after, say)."""

    labels: dict = field(default_factory=dict)  # tally key -> what its records are called
    tallies: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    dry_run: bool = False

    def tally(self, key, label=None) -> Tally:
        if key not in self.tallies:
            self.tallies[key] = Tally()
            self.labels[key] = label or key
        return self.tallies[key]

    @property
    def changed_anything(self) -> bool:
        return any(tally.changed for tally in self.tallies.values())

    def summary_lines(self) -> list[str]:
        lines = []
        for key, tally in self.tallies.items():
            values = {"what": self.labels[key], **vars(tally)}
            if tally.deactivated:
                line = _(
                    "%(what)s: %(created)d added, %(updated)d updated, %(unchanged)d "
                    "unchanged, %(deactivated)d made inactive."
                )
            else:
                line = _(
                    "%(what)s: %(created)d added, %(updated)d updated, %(unchanged)d unchanged."
                )
            lines.append(line % values)
        lines.extend(str(note) for note in self.notes)
        if self.dry_run:
            lines.append(_("Dry run: nothing was written."))
        elif not self.changed_anything:
            lines.append(_("Nothing changed: the database already matched the file."))
        return lines

    def __str__(self):
        return " ".join(self.summary_lines())
