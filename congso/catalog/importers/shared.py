"""Loading the national extracts shipped in data/procedures/."""

import csv
import gzip
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from congso.catalog.importers.parsing import (
    NO_INFORMATION,
    ParsedComponent,
    ParsedFee,
    ParsedTime,
    bqp_legal_basis,
    parse_bqp_components,
    parse_fees,
    parse_levels,
    parse_processing_times,
    times_by_channel,
    unique_fees,
)
from congso.catalog.models import DossierComponent, FeeItem, Procedure, ProcedureVersion, ProcessingTime

DATA_DIR = Path(settings.BASE_DIR) / "data" / "procedures"
SHARED_FILES = {
    "dvcqg": DATA_DIR / "tthc_dvcqg_7nganh.csv.gz",
    "cap_xa": DATA_DIR / "tthc_cap_xa.csv.gz",
    "bqp": DATA_DIR / "tthc_bqp.csv.gz",
}
DVCQG_REPOSITORY = "chatbot-tthc/chatbot_tthc"
DVCQG_COMMIT = "53229487610b07e0d7127f529b87c333f19aeb1e"
BQP_REPOSITORY = "nhdandz/ThuTucHanhChinh"
BQP_COMMIT = "936e184ef5b6afd7debfecf42e66888c4d6174ba"
BQP_MINISTRY = "Bộ Quốc phòng"


# --- loading the shared national files

_PROCEDURE_FIELDS = [
    "name",
    "field",
    "levels",
    "at_central",
    "at_province",
    "at_commune",
    "issuing_body",
    "implementing_agency",
    "competent_authority",
    "procedure_type",
    "applicants",
    "source",
    "source_note",
    "source_url",
]
_VERSION_FIELDS = [
    "publication_decision",
    "steps",
    "conditions",
    "result_description",
    "legal_basis",
    "components_raw",
    "processing_raw",
    "fees_raw",
]
_PAGE_FOOTER = "Chọn cơ quan thực hiện"  # where the crawled result text runs into the page's footer


@dataclass
class _Record:
    procedure: dict
    version: dict
    times: list[ParsedTime] = field(default_factory=list)
    fees: list[ParsedFee] = field(default_factory=list)
    components: list[ParsedComponent] = field(default_factory=list)


def _known(value: str) -> str:
    value = (value or "").strip()
    return "" if value == NO_INFORMATION else value


def read_csv(path: Path) -> list[dict[str, str]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _dvcqg_record(row: dict[str, str], files: list[str]) -> _Record:
    levels = row["cap_thuc_hien"]
    at_central, at_province, at_commune = parse_levels(levels)
    result = row.get("ket_qua_xu_ly_raw", "")
    procedure = {
        # The 17 crawl errors have no detail page of their own: only the official list's columns remain.
        "name": row["ten_thu_tuc"] or row["ten_thu_tuc_danh_sach"],
        "field": row["linh_vuc"] or row["ds_linh_vuc"].strip(),
        "levels": levels,
        "at_central": at_central,
        "at_province": at_province,
        "at_commune": at_commune,
        "issuing_body": row["ds_co_quan_ban_hanh"].strip(),
        "implementing_agency": _known(row["co_quan_thuc_hien"]) or row["ds_co_quan_thuc_hien"].strip(),
        "competent_authority": _known(row["co_quan_co_tham_quyen"]),
        "procedure_type": row["loai_thu_tuc"],
        "applicants": _known(row["doi_tuong_thuc_hien"]),
        "source": f"{DVCQG_REPOSITORY}: {', '.join(files)}",
        "source_note": f"kiem_tra: {row['kiem_tra']}\n"
        f"{row['nguon_file']} @ {DVCQG_REPOSITORY} {DVCQG_COMMIT}",
        "source_url": row["detail_url"],
    }
    version = {
        "publication_decision": row["so_quyet_dinh"],
        "steps": _known(row.get("trinh_tu_thuc_hien", "")),
        "conditions": _known(row.get("yeu_cau_dieu_kien", "")),
        "result_description": result.split(_PAGE_FOOTER, 1)[0].strip(),
        "legal_basis": row.get("can_cu_phap_ly_raw", "").strip(),
        "components_raw": row.get("thanh_phan_ho_so_raw", "").strip(),
        "processing_raw": row["thoi_han_giai_quyet"],
        "fees_raw": row["phi_le_phi"],
    }
    return _Record(
        procedure,
        version,
        times_by_channel(parse_processing_times(row["thoi_han_giai_quyet"])),
        unique_fees(parse_fees(row["phi_le_phi"])),
    )


def _bqp_record(row: dict[str, str], file: str) -> _Record:
    levels = row["cap_thuc_hien"]
    at_central, at_province, at_commune = parse_levels(levels)
    procedure = {
        "name": row["ten_thu_tuc"],
        "field": row["linh_vuc"],
        "levels": levels,
        "at_central": at_central,
        "at_province": at_province,
        "at_commune": at_commune,
        "issuing_body": BQP_MINISTRY,
        "implementing_agency": _known(row["co_quan_thuc_hien"]),
        "competent_authority": _known(row["co_quan_co_tham_quyen"]),
        "procedure_type": row["loai_thu_tuc"],
        "applicants": _known(row["doi_tuong_thuc_hien"]),
        "source": f"{BQP_REPOSITORY}: {file}",
        "source_note": f"{row['nguon_file']} ({row['nguon_file_goc']}) @ {BQP_REPOSITORY} {BQP_COMMIT}",
        "source_url": "",
    }
    version = {
        "publication_decision": row["so_quyet_dinh"],
        "steps": _known(row["trinh_tu_thuc_hien"]),
        "conditions": _known(row["yeu_cau_dieu_kien"]),
        "result_description": _known(row["ket_qua_thuc_hien"]),
        "legal_basis": bqp_legal_basis(row["can_cu_phap_ly_json"]),
        "components_raw": "",
        "processing_raw": row["thoi_han_giai_quyet"],
        "fees_raw": row["phi_le_phi"],
    }
    return _Record(
        procedure,
        version,
        times_by_channel(parse_processing_times(row["thoi_han_giai_quyet"])),
        unique_fees(parse_fees(row["phi_le_phi"])),
        parse_bqp_components(row["thanh_phan_ho_so_json"]),
    )


def _shared_records(paths: Mapping[str, Path]) -> tuple[dict[str, _Record], dict[str, int]]:
    stats = {
        "crawl_errors": 0,
        "times_total": 0,
        "times_parsed": 0,
        "fees_total": 0,
        "fees_parsed": 0,
    }
    records: dict[str, _Record] = {}
    cap_xa_file = Path(paths["cap_xa"]).name.removesuffix(".gz")
    dvcqg_file = Path(paths["dvcqg"]).name.removesuffix(".gz")
    cap_xa = {row["ma_thu_tuc"]: row for row in read_csv(Path(paths["cap_xa"]))}
    rows = read_csv(Path(paths["dvcqg"]))
    stats.update(dvcqg_rows=len(rows), cap_xa_rows=len(cap_xa))
    # The commune file repeats the main file's columns and adds the full texts: one procedure, merged.
    main_codes = {row["ma_thu_tuc"] for row in rows}
    rows += [row for code, row in cap_xa.items() if code not in main_codes]
    for row in rows:
        code = row["ma_thu_tuc"]
        files = [dvcqg_file] if code in main_codes else []
        if code in cap_xa:
            row = {**row, **cap_xa[code]}
            files.append(cap_xa_file)
        records[code] = _dvcqg_record(row, files)
        stats["crawl_errors"] += row["kiem_tra"].startswith("LỖI")
    bqp_file = Path(paths["bqp"]).name.removesuffix(".gz")
    bqp_rows = read_csv(Path(paths["bqp"]))
    for row in bqp_rows:
        records[row["ma_thu_tuc"]] = _bqp_record(row, bqp_file)
    stats["bqp_rows"] = len(bqp_rows)
    for row in rows + bqp_rows:
        if row["thoi_han_giai_quyet"]:
            stats["times_total"] += 1
            stats["times_parsed"] += all(t.parsed for t in parse_processing_times(row["thoi_han_giai_quyet"]))
        if fees := parse_fees(row["phi_le_phi"]):
            stats["fees_total"] += 1
            stats["fees_parsed"] += all(f.parsed for f in fees)
    return records, stats


def time_key(time) -> tuple:
    """The same for a :class:`ParsedTime` and the :class:`ProcessingTime` stored from it."""
    value = None if time.value is None else Decimal(time.value).quantize(Decimal("0.01"))
    return (int(time.channel), value, str(time.unit), time.note, time.raw)


def fee_key(fee) -> tuple:
    channel = None if fee.channel is None else int(fee.channel)
    return (channel, fee.name[:255], fee.amount_vnd, fee.raw)


def _component_key(c) -> tuple:
    return (c.name, c.originals, c.certified_copies, c.template_name, c.note)


def _chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _replace_children(version_ids: list[int], records_by_version: dict[int, _Record]) -> dict[str, int]:
    """Delete the listed versions' times, fees and components and write them again from their records."""
    for chunk in _chunks(version_ids):
        ProcessingTime.objects.filter(version_id__in=chunk).delete()
        FeeItem.objects.filter(version_id__in=chunk).delete()
        DossierComponent.objects.filter(version_id__in=chunk).delete()
    times, fees, components = [], [], []
    for version_id in version_ids:
        record = records_by_version[version_id]
        times += [
            ProcessingTime(
                version_id=version_id, channel=t.channel, value=t.value, unit=t.unit, note=t.note, raw=t.raw
            )
            for t in record.times
        ]
        fees += [
            FeeItem(
                version_id=version_id,
                position=position,
                channel=f.channel,
                name=f.name[:255],
                amount_vnd=f.amount_vnd,
                raw=f.raw,
            )
            for position, f in enumerate(record.fees, start=1)
        ]
        components += [
            DossierComponent(
                version_id=version_id,
                position=position,
                name=c.name,
                originals=c.originals,
                certified_copies=c.certified_copies,
                template_name=c.template_name,
                note=c.note,
            )
            for position, c in enumerate(record.components, start=1)
        ]
    ProcessingTime.objects.bulk_create(times, batch_size=500)
    FeeItem.objects.bulk_create(fees, batch_size=500)
    DossierComponent.objects.bulk_create(components, batch_size=500)
    return {"times": len(times), "fees": len(fees), "components": len(components)}


def _children_by_version(version_ids: set[int]) -> dict[int, tuple]:
    """What each version holds now, in the shape ``time_key`` & co. give, to tell whether it changed."""
    held: dict[int, tuple[list, list, list]] = {pk: ([], [], []) for pk in version_ids}
    for t in ProcessingTime.objects.filter(version__number=1, version__is_structured=False).order_by("id"):
        if t.version_id in held:
            held[t.version_id][0].append(time_key(t))
    for f in FeeItem.objects.filter(version__number=1, version__is_structured=False).order_by(
        "position", "id"
    ):
        if f.version_id in held:
            held[f.version_id][1].append(fee_key(f))
    components = DossierComponent.objects.filter(version__number=1, version__is_structured=False)
    for c in components.order_by("position", "id"):
        if c.version_id in held:
            held[c.version_id][2].append(_component_key(c))
    return {pk: (sorted(t), f, c) for pk, (t, f, c) in held.items()}


def _update_each(model, objects: list, fields: list[str]) -> None:
    # bulk_update() builds one CASE per field and row: for 2,849 procedures it spends ~10 s compiling SQL.
    # One plain UPDATE per changed row, inside the caller's transaction, takes well under a second.
    for obj in objects:
        model.objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in fields})


@transaction.atomic
def procedures_load_shared(*, paths: Mapping[str, Path] = SHARED_FILES) -> dict[str, int]:
    """Create or update every procedure of the national extracts in data/procedures/ (idempotent).

    ``paths`` maps ``dvcqg``, ``cap_xa`` and ``bqp`` to their CSV files (gzip or plain). Rows of the commune
    file are merged onto the main file's procedure. Each procedure gets version 1 with the published texts,
    deadlines, fees and (Ministry of Defence) components; a version marked ``is_structured`` was entered by
    hand and is never touched (counted in ``structured_skipped``).
    """
    records, stats = _shared_records(paths)
    now = timezone.now()
    existing = {p.code: p for p in Procedure.objects.all()}
    to_create, to_update = [], []
    for code, record in records.items():
        procedure = existing.get(code)
        if procedure is None:
            procedure = Procedure(code=code, **record.procedure)
            procedure.refresh_search_keys()
            to_create.append(procedure)
        elif any(getattr(procedure, name) != value for name, value in record.procedure.items()):
            for name, value in record.procedure.items():
                setattr(procedure, name, value)
            procedure.refresh_search_keys()
            procedure.updated_at = now
            to_update.append(procedure)
    Procedure.objects.bulk_create(to_create, batch_size=500)
    _update_each(Procedure, to_update, [*_PROCEDURE_FIELDS, "search_name", "search_extra", "updated_at"])
    procedure_ids = dict(Procedure.objects.filter(code__in=list(records)).values_list("code", "id"))

    versions = {v.procedure_id: v for v in ProcedureVersion.objects.filter(number=1)}
    new_versions, changed_versions, skipped = [], [], 0
    for code, record in records.items():
        version = versions.get(procedure_ids[code])
        if version is None:
            new_versions.append(
                ProcedureVersion(procedure_id=procedure_ids[code], number=1, **record.version)
            )
        elif version.is_structured:
            skipped += 1
        elif any(getattr(version, name) != value for name, value in record.version.items()):
            for name, value in record.version.items():
                setattr(version, name, value)
            version.updated_at = now
            changed_versions.append(version)
    ProcedureVersion.objects.bulk_create(new_versions, batch_size=500)
    _update_each(ProcedureVersion, changed_versions, [*_VERSION_FIELDS, "updated_at"])

    code_by_procedure = {pk: code for code, pk in procedure_ids.items()}
    records_by_version = {
        v.pk: records[code_by_procedure[v.procedure_id]]
        for v in ProcedureVersion.objects.filter(number=1, is_structured=False).only("id", "procedure_id")
        if v.procedure_id in code_by_procedure
    }
    held = _children_by_version(set(records_by_version))
    stale = [
        pk
        for pk, record in records_by_version.items()
        if held[pk]
        != (
            sorted(time_key(t) for t in record.times),
            [fee_key(f) for f in record.fees],
            [_component_key(c) for c in record.components],
        )
    ]
    written = _replace_children(stale, records_by_version)
    return {
        **stats,
        "procedures": len(records),
        "created": len(to_create),
        "updated": len(to_update),
        "versions_created": len(new_versions),
        "versions_updated": len(changed_versions),
        "versions_refilled": len(stale),
        "structured_skipped": skipped,
        **written,
    }
