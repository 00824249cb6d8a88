"""A fake national portal on 127.0.0.1: checks the payload shape and date format, records every request."""

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

DATE = re.compile(r"^\d{14}$")
DOSSIER_KEYS = {
    "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "KenhThucHien", "ChuHoSo", "LoaiDoiTuong", "DinhDanhCHS",
    "NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra", "TrangThaiHoSo", "DonViXuLy",
    "TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua",
}  # fmt: skip
DOSSIER_DATES = {"NgayNopHoSo", "NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTra"}
STEP_KEYS = {
    "NguoiXuLy", "ChucDanh", "ThoiDiemXuLy", "PhongBanXuLy", "NoiDungXuLy", "TrangThai", "NgayBatDau",
    "NgayKetThucTheoQuyDinh",
}  # fmt: skip
STEP_DATES = {"ThoiDiemXuLy", "NgayBatDau", "NgayKetThucTheoQuyDinh"}
SERVICES = {"/DongBoHoSoMC": "DongBoHoSoMC", "/CapNhatTienDoHoSoMC": "CapNhatTienDoHoSoMC"}


def _date(value, name, errors, *, required=False):
    if value is None and not required:
        return
    if not isinstance(value, str) or not DATE.match(value):
        errors.append(f"{name}: {value!r} is not yyyyMMddHHmmss")


def problems(path: str, body: dict) -> list[str]:
    """What is wrong with a request body; empty when it has the expected shape."""
    errors = []
    if SERVICES.get(path) != body.get("service"):
        errors.append(f"service {body.get('service')!r} posted to {path}")
    records = body.get("data")
    if not isinstance(records, list) or len(records) != 1:
        return [*errors, "data is not a list of one record"]
    record = records[0]
    if body.get("service") == "DongBoHoSoMC":
        if missing := DOSSIER_KEYS - record.keys():
            errors.append(f"missing {sorted(missing)}")
        for name in DOSSIER_DATES & record.keys():
            _date(record[name], name, errors, required=name == "NgayNopHoSo")
        if record.get("KenhThucHien") not in (1, 2, 3):
            errors.append(f"KenhThucHien {record.get('KenhThucHien')!r}")
        for name in ("TaiLieuNop", "DanhSachLePhi", "DanhSachHoSoBoSung", "DanhSachGiayToKetQua"):
            if not isinstance(record.get(name), list):
                errors.append(f"{name} is not a list")
        for item in record.get("DanhSachHoSoBoSung") or []:
            for name in ("NgayYeuCauBoSung", "NgayHenBoSung", "NgayTiepNhanBoSung"):
                _date(item.get(name), name, errors)
    else:
        steps = record.get("QuaTrinhXuLy")
        if not isinstance(steps, list) or not steps:
            errors.append("QuaTrinhXuLy is not a non-empty list")
            steps = []
        for step in steps:
            if missing := STEP_KEYS - step.keys():
                errors.append(f"step missing {sorted(missing)}")
            for name in STEP_DATES & step.keys():
                _date(step[name], name, errors, required=name == "ThoiDiemXuLy")
            if step.get("TrangThai") not in range(1, 11):
                errors.append(f"TrangThai {step.get('TrangThai')!r}")
    if not record.get("MaHoSo"):
        errors.append("MaHoSo is empty")
    if record.get("TrangThaiHoSo") not in range(1, 11):
        errors.append(f"TrangThaiHoSo {record.get('TrangThaiHoSo')!r}")
    return errors


class FakePortal:
    def __init__(self):
        self.requests: list[dict] = []
        self.replies: list[tuple[int, dict]] = []  # scripted answers, first used first; then 200
        self.delay = 0.0
        portal = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                body = json.loads(raw.decode("utf-8"))
                errors = problems(self.path, body)
                portal.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "body": body, "errors": errors}
                )
                if portal.delay:
                    time.sleep(portal.delay)
                status, answer = (422, {"errors": errors}) if errors else (200, {"error_code": 0})
                if portal.replies:
                    status, answer = portal.replies.pop(0)
                data = json.dumps(answer, ensure_ascii=False).encode("utf-8")
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()
