from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from congso.catalog.importers import (
    IMPORT_COLUMNS,
    ImportFileError,
    procedures_import,
    read_import_file,
    validate_import_rows,
)


class Command(BaseCommand):
    help = (
        "Import an official's list of procedures from a .csv (UTF-8) or .xlsx file (first sheet). Row 1 "
        f"names the columns: {', '.join(IMPORT_COLUMNS)} (ma_thu_tuc and ten_thu_tuc required; muc_do is "
        "“toàn trình”, “một phần” or empty). Every row is checked first: if any is wrong, nothing is "
        "imported and each bad row is listed with its number. Empty cells keep what the catalogue holds; a "
        "deadline without a channel (“5 ngày làm việc”) applies to every channel."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the .csv or .xlsx file")
        parser.add_argument("--dry-run", action="store_true", help="check and report, write nothing")

    def handle(self, *args, path: Path, dry_run: bool, **options):
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {path}.")
        try:
            rows = read_import_file(path)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        good, errors = validate_import_rows(rows)
        self.stdout.write(
            f"{path.name}: {len(rows)} dòng dữ liệu, {len(good)} dòng hợp lệ, {len(errors)} dòng lỗi."
        )
        if errors:
            for number, reasons in errors:
                self.stdout.write(self.style.ERROR(f"  Dòng {number}: {reasons}"))
            raise CommandError(
                f"Có {len(errors)} dòng lỗi: không nhập dòng nào. Sửa các dòng trên rồi chạy lại."
            )
        plans = procedures_import(rows=good, source=f"catalog_import: {path.name}", dry_run=dry_run)
        created = [p for p in plans if p.procedure is None]
        updated = [p for p in plans if p.procedure is not None and p.changes]
        for plan in plans:
            if plan.changes:
                self.stdout.write(f"  Dòng {plan.row.number} · {plan.row.code}: {', '.join(plan.changes)}")
            if plan.version_skipped:
                self.stdout.write(
                    f"  Dòng {plan.row.number} · {plan.row.code}: phiên bản đã được nhập đầy đủ bằng tay, "
                    "giữ nguyên thời hạn và phí"
                )
        unchanged = len(plans) - len(created) - len(updated)
        if dry_run:
            self.stdout.write(
                self.style.WARNING(
                    f"Chạy thử, chưa ghi gì: sẽ tạo {len(created)}, sẽ cập nhật {len(updated)}, "
                    f"{unchanged} không đổi."
                )
            )
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Đã tạo {len(created)}, đã cập nhật {len(updated)}, {unchanged} không đổi."
                )
            )
