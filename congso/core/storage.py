"""Storing uploaded files so that a full or failing disk gives a clear message and leaves nothing behind.

Django's file storage writes straight to the final path and leaves a partial file when the disk fills up
(bench/faults: 9 partial files, HTTP 500 for every upload). ``stored_files()`` wraps the saves of one change:
the first failure becomes an ``ApplicationError`` the person can read, and every file saved so far inside the
block is deleted, since the transaction around it rolls back the rows that pointed to them.
"""

import contextlib
import datetime
import logging
import os
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from congso.core.exceptions import ApplicationError

logger = logging.getLogger(__name__)


class StorageUnavailable(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "The system cannot store files right now. "
                "Nothing was saved: please try again in a few minutes."
            ),
            code="storage_unavailable",
        )


class _Saved:
    def __init__(self) -> None:
        self.names: list[tuple[object, str]] = []

    def save(self, field_file: FieldFile, name: str, content) -> None:
        """``field_file.save(name, content, save=False)``, remembered for clean-up."""
        storage = field_file.storage
        wanted = field_file.field.generate_filename(field_file.instance, name)
        final = storage.get_available_name(wanted, max_length=field_file.field.max_length)
        try:
            field_file.save(os.path.basename(final), content, save=False)
        except OSError as error:
            logger.error("storing %s failed: %s", final, error)
            _delete(storage, final)  # the partial file the storage left behind
            raise StorageUnavailable() from error
        self.names.append((storage, field_file.name))


@contextlib.contextmanager
def stored_files() -> Iterator[_Saved]:
    """Use ``saved.save(field_file, name, content)`` inside; any exception deletes what was saved."""
    saved = _Saved()
    try:
        yield saved
    except BaseException:
        for storage, name in saved.names:
            _delete(storage, name)
        raise


def _delete(storage, name: str) -> None:
    try:
        if storage.exists(name):
            storage.delete(name)
    except OSError:  # a disk that fails to delete too: the orphan sweep will try again
        logger.warning("could not delete %s", name)


def orphan_files_sweep(
    *,
    folders: Iterable[str],
    referenced: set[str],
    older_than: datetime.timedelta = datetime.timedelta(days=1),
) -> int:
    """Delete the files under ``folders`` of MEDIA_ROOT that no row references and that are older than
    ``older_than`` (a request killed between writing the file and committing leaves one). Returns how many."""
    root = os.path.realpath(settings.MEDIA_ROOT)
    cutoff = (timezone.now() - older_than).timestamp()
    deleted = 0
    for folder in folders:
        top = os.path.join(root, folder)
        for directory, _dirs, files in os.walk(top):
            for filename in files:
                path = os.path.join(directory, filename)
                name = os.path.relpath(path, root).replace(os.sep, "/")
                try:
                    if name in referenced or os.path.getmtime(path) > cutoff:
                        continue
                    os.remove(path)
                    deleted += 1
                except OSError:
                    continue
    return deleted
