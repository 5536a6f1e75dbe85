"""Helpers of the sheet-import tests."""

import pytest


def refused(importer, error_class, model, path):
    """Import ``path`` expecting a refusal: each problem's (row, code); nothing written."""
    with pytest.raises(error_class) as excinfo:
        importer(path)
    assert not model.objects.exists(), "nothing may be written when a row is wrong"
    return [(error.row, error.code) for error in excinfo.value.errors]


def names(queryset):
    return sorted(item.name for item in queryset)
