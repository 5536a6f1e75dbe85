import datetime

from django.core.management.base import BaseCommand, CommandError

from coverage.export import FORMATS, export
from coverage.periods import period_limits
from coverage.report import LEVELS
from regions.models import County, Town


def _date(value):
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"“{value}” is not a date; give it as YYYY-MM-DD.") from None


def _town(name, county):
    """The town of that name (in ``county`` if given); a name two counties share needs
    --county."""
    towns = Town.objects.filter(name=name).select_related("county")
    if county is not None:
        towns = towns.filter(county=county)
    found = list(towns[:2])
    if not found:
        raise CommandError(f"There is no town “{name}”.")
    if len(found) > 1:
        raise CommandError(f"There is more than one town “{name}”: give --county too.")
    return found[0]


class Command(BaseCommand):
    help = (
        "Write the coverage report (培训覆盖率) for a period as CSV, XLSX or JSON: the same "
        "file the report page exports, with its totals row, period and definition. --town "
        "lists one town's villages (--county tells apart towns of the same name). CSV and "
        "JSON go to standard output unless --output names a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument(
            "--level", help="county, town or village (default: county; village with --town)"
        )
        parser.add_argument("--format", default="csv", help="csv, xlsx or json")
        parser.add_argument("--county", help="only this county (its name)")
        parser.add_argument("--town", help="only this town's villages (its name)")
        parser.add_argument("--output", help="write to this file")

    def handle(self, *args, **options):
        start, end = _date(options["start"]), _date(options["end"])
        if end < start:
            raise CommandError("--end is before --start.")
        limits = period_limits()
        if not (limits.start <= start and end <= limits.end):
            raise CommandError(
                f"The period must lie within {limits} (COVERAGE_PERIOD_MARGIN_YEARS)."
            )
        level = options["level"] or ("village" if options["town"] else "county")
        file_format = options["format"]
        if level not in LEVELS:
            raise CommandError(f"--level must be one of {', '.join(LEVELS)}, not “{level}”.")
        if file_format not in FORMATS:
            raise CommandError(
                f"--format must be one of {', '.join(FORMATS)}, not “{file_format}”."
            )
        county = None
        if options["county"]:
            try:
                county = County.objects.get(name=options["county"])
            except County.DoesNotExist:
                raise CommandError(f"There is no county “{options['county']}”.") from None
        town = None
        if options["town"]:
            if level != "village":
                raise CommandError("A town's report lists its villages: --level village.")
            town = _town(options["town"], county)
        data = export(level, start, end, file_format, county=county, town=town)
        if options["output"]:
            with open(options["output"], "wb") as out:
                out.write(data)
        elif file_format == "xlsx":
            binary = getattr(self.stdout._out, "buffer", None)
            if binary is None:
                raise CommandError("XLSX is binary: give --output FILE.")
            self.stdout.flush()
            binary.write(data)
            binary.flush()
        else:
            self.stdout.write(data.decode("utf-8"), ending="")
