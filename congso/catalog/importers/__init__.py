"""Reading procedure lists: the national extracts shipped in data/procedures/ (``shared``), officials' own
lists (``officials``), and the parsers both use (``parsing``)."""

from congso.catalog.importers.officials import (
    IMPORT_COLUMNS,
    ImportFileError,
    procedures_import,
    read_import_file,
    validate_import_rows,
)
from congso.catalog.importers.parsing import (
    NO_INFORMATION,
    SEVERAL_TIMES_NOTE,
    ParsedComponent,
    ParsedTime,
    bqp_legal_basis,
    parse_bqp_components,
    parse_fees,
    parse_levels,
    parse_processing_times,
    times_by_channel,
)
from congso.catalog.importers.shared import (
    SHARED_FILES,
    procedures_load_shared,
)

__all__ = [
    "IMPORT_COLUMNS",
    "NO_INFORMATION",
    "SEVERAL_TIMES_NOTE",
    "SHARED_FILES",
    "ImportFileError",
    "ParsedComponent",
    "ParsedTime",
    "bqp_legal_basis",
    "parse_bqp_components",
    "parse_fees",
    "parse_levels",
    "parse_processing_times",
    "procedures_import",
    "procedures_load_shared",
    "read_import_file",
    "times_by_channel",
    "validate_import_rows",
]
