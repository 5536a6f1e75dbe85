import pytest

from courses.models import CatalogPage, Track


@pytest.fixture
def catalog(db):
    """The catalog at /courses/, as the data migration created it."""
    return CatalogPage.objects.get()


@pytest.fixture
def tracks(db):
    """The four tracks from the data migration, by slug."""
    return {track.slug: track for track in Track.objects.all()}
