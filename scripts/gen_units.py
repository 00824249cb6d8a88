"""Regenerate data/geo/units_2025.csv: the 34 provinces and 3,321 communes since 1 July 2025.

Codes and names come from the data file of the PyPI package ``vietnam-provinces`` (which compiles the
lists of Decision 19/2025/QĐ-TTg). That package is GPL-3.0, so congso never imports it: this script reads the
JSON inside the wheel and writes a plain CSV of public facts (codes and names).

    python scripts/gen_units.py                 # downloads vietnam-provinces==2025.10.1 with pip
    python scripts/gen_units.py --wheel X.whl   # or reads a wheel you already have

Run it again only when the government changes the list, and review the diff.
"""

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from pathlib import Path

PACKAGE = "vietnam-provinces==2025.10.1"
ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "data" / "geo" / "units_2025.csv"

PROVINCE_TYPES = {"tỉnh": "tinh", "thành phố trung ương": "thanh_pho"}
COMMUNE_TYPES = {"xã": "xa", "phường": "phuong", "đặc khu": "dac_khu"}
PREFIXES = ("Thành phố ", "Tỉnh ", "Xã ", "Phường ", "Đặc khu ")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip()


def bare_name(full: str) -> str:
    for prefix in PREFIXES:
        if full.startswith(prefix):
            return full[len(prefix) :]
    return full


def load_divisions(wheel: Path | None) -> list[dict]:
    if wheel is None:
        tmp = Path(tempfile.mkdtemp())
        subprocess.run(
            [sys.executable, "-m", "pip", "download", PACKAGE, "--no-deps", "-q", "-d", str(tmp)], check=True
        )
        wheel = next(tmp.glob("vietnam_provinces-*.whl"))
    with zipfile.ZipFile(wheel) as zf:
        return json.loads(zf.read("vietnam_provinces/data/nested-divisions.json"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--wheel", type=Path)
    args = parser.parse_args()

    rows = []
    for province in load_divisions(args.wheel):
        ptype = PROVINCE_TYPES[province["division_type"]]
        pname = bare_name(nfc(province["name"]))
        pfull = f"{'Thành phố' if ptype == 'thanh_pho' else 'Tỉnh'} {pname}"
        pcode = f"{province['code']:02d}"
        rows.append([pcode, pname, pfull, ptype, "province", ""])
        for ward in province["wards"]:
            full = nfc(ward["name"])
            rows.append(
                [
                    f"{ward['code']:05d}",
                    bare_name(full),
                    full,
                    COMMUNE_TYPES[ward["division_type"]],
                    "commune",
                    pcode,
                ]
            )

    codes = [row[0] for row in rows]
    assert len(codes) == len(set(codes)), "duplicate codes"
    assert sum(row[4] == "province" for row in rows) == 34
    assert sum(row[4] == "commune" for row in rows) == 3321
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(["code", "name", "full_name", "unit_type", "level", "parent_code"])
        writer.writerows(rows)
    print(f"wrote {len(rows)} units to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
