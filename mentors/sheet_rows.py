"""How the experts' and the entrepreneurs' sheets are saved: by mobile number.

Both sheets list people by mobile number: the number says whether a row is someone new
or someone to update, so importing the same file twice changes nothing.
"""

from dataclasses import dataclass, field


@dataclass
class PersonRow:
    """One checked row: the model's own fields (``phone`` among them) and the primary
    keys each many-to-many field is to hold."""

    fields: dict
    relations: dict = field(default_factory=dict)

    @property
    def phone(self):
        return self.fields["phone"]


def save_by_phone(model, rows, tally):
    """Create the people not yet known by their phone, update the others in place (their
    lists replaced by the file's), and count what happened in ``tally``
    (a sheets.results.Tally).

    Fields the sheet does not hold (a mentor, a photo, the active flag) are left as
    they are. The caller runs this in a transaction.
    """
    relations = list(rows[0].relations) if rows else []
    known = {
        person.phone: person
        for person in model.objects.filter(phone__in=[row.phone for row in rows]).prefetch_related(
            *relations
        )
    }
    for row in rows:
        person = known.get(row.phone)
        if person is None:
            person = model.objects.create(**row.fields)
            for name, pks in row.relations.items():
                getattr(person, name).set(pks)
            tally.created += 1
            continue
        changed = [name for name, value in row.fields.items() if getattr(person, name) != value]
        lists_changed = [
            name
            for name, pks in row.relations.items()
            if {item.pk for item in getattr(person, name).all()} != set(pks)
        ]
        if not changed and not lists_changed:
            tally.unchanged += 1
            continue
        for name in changed:
            setattr(person, name, row.fields[name])
        person.save(update_fields=[*changed, "updated_at"])
        for name in lists_changed:
            getattr(person, name).set(row.relations[name])
        tally.updated += 1
