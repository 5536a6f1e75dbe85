"""A national registry export long enough for its check to be caught mid-way."""

from accounts.idcard import check_digit
from tests.coverage.test_tasks import national_csv, person

ROWS = 20_000


def id_number(n: int) -> str:
    """A valid number of 罗定市 for each of ``ROWS`` people: birthdays a day apart."""
    day = 1 + n % 28
    month = 1 + (n // 28) % 12
    year = 1950 + n // (28 * 12)
    first17 = f"445381{year}{month:02d}{day:02d}{n % 1000:03d}"
    return first17 + check_digit(first17)


def big_registry_csv(rows: int = ROWS) -> bytes:
    return national_csv([person(n, number=id_number(n)) for n in range(1, rows + 1)])
