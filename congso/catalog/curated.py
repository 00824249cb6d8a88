"""Structured content for the procedures a commune centre uses most (data/procedures/curated.json).

The national database gives these procedures' names and codes; this file adds what a citizen and the form
engine need in full: components with their number of originals and copies, deadlines per channel with their
units, fees in VND, and the e-form.
"""

import datetime
import json
from pathlib import Path

from django.conf import settings
from django.db import transaction

from congso.catalog.eform import validate_schema
from congso.catalog.models import DossierComponent, FeeItem, Procedure, ProcedureVersion, ProcessingTime
from congso.catalog.route import validate_route

CURATED_JSON = Path(settings.BASE_DIR) / "data" / "procedures" / "curated.json"


@transaction.atomic
def procedures_load_curated(*, path: Path = CURATED_JSON) -> dict[str, int]:
    """Give each listed procedure a fully structured version 1. A version already structured is left alone (it
    may be in use by dossiers): change the content by publishing a new version."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    effective_from = datetime.date.fromisoformat(doc["effective_from"])
    procedures = Procedure.objects.in_bulk([item["code"] for item in doc["procedures"]], field_name="code")
    report = {"structured": 0, "kept": 0, "missing": 0}
    for item in doc["procedures"]:
        procedure = procedures.get(item["code"])
        if procedure is None:
            report["missing"] += 1  # names come only from the national database: never invent one
            continue
        validate_schema(item["form"])
        validate_route(item.get("route", []))
        version, _ = ProcedureVersion.objects.get_or_create(procedure=procedure, number=1)
        if version.is_structured:
            report["kept"] += 1
            continue
        version.effective_from = version.effective_from or effective_from
        for attr in ("steps", "conditions", "result_description", "legal_basis", "supplement_rule", "route"):
            if item.get(attr):
                setattr(version, attr, item[attr])
        version.form_schema = item["form"]
        version.is_structured = True
        version.save()
        version.components.all().delete()
        version.processing_times.all().delete()
        version.fees.all().delete()
        DossierComponent.objects.bulk_create(
            DossierComponent(
                version=version,
                position=position,
                name=c["name"],
                required=c.get("required", True),
                originals=c.get("originals"),
                certified_copies=c.get("certified_copies"),
                photocopies=c.get("photocopies"),
                template_name=c.get("template_name", ""),
                note=c.get("note", ""),
            )
            for position, c in enumerate(item["components"], start=1)
        )
        ProcessingTime.objects.bulk_create(
            ProcessingTime(
                version=version, channel=t["channel"], value=t["value"], unit=t["unit"], note=t["note"]
            )
            for t in item["times"]
        )
        FeeItem.objects.bulk_create(
            FeeItem(
                version=version,
                position=position,
                channel=f.get("channel"),
                name=f["name"],
                amount_vnd=f["amount_vnd"],
                exemptions=f.get("exemptions", ""),
            )
            for position, f in enumerate(item["fees"], start=1)
        )
        Procedure.objects.filter(pk=procedure.pk).update(
            popularity=item["popularity"], online_level=item["online_level"], result_type=item["result_type"]
        )
        report["structured"] += 1
    return report
