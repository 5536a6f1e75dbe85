from sheets.system_checks import private_uploads_are_not_served


def test_a_private_folder_of_its_own_passes(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "private"
    assert private_uploads_are_not_served(None) == []


def test_private_uploads_inside_media_fail_start_up(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_UPLOAD_ROOT = tmp_path / "media" / "registry"
    assert [error.id for error in private_uploads_are_not_served(None)] == ["sheets.E001"]


def test_media_inside_the_private_folder_fails_too(settings, tmp_path):
    settings.PRIVATE_UPLOAD_ROOT = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"
    assert [error.id for error in private_uploads_are_not_served(None)] == ["sheets.E001"]
