"""The reference data every family hangs on: Cà Mau's units and hamlets, the catalogue (the shared national
files and the curated structured procedures), the receiving offices and the demo accounts. Idempotent."""

import json
import time


def setup(*, log, catalogue: bool = True) -> dict:
    from django.core.management import call_command

    from congso.accounts.demo import demo_accounts_load
    from congso.catalog.curated import CURATED_JSON, procedures_load_curated
    from congso.catalog.importers.shared import procedures_load_shared
    from congso.catalog.models import Procedure
    from congso.dossiers.demo import offices_load_demo
    from congso.geo.services import communes_load_camau, hamlets_generate_demo, units_load_national

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"  migrate: {time.perf_counter() - started:.1f} s")
    call_command("collectstatic", verbosity=0, interactive=False)
    units_load_national()
    communes_load_camau()
    hamlets_generate_demo(province_code="96")
    if catalogue:
        procedures_load_shared()
    else:  # only the curated procedures: their catalogue rows are stubs, the curation fills the rest
        for item in json.loads(CURATED_JSON.read_text(encoding="utf-8"))["procedures"]:
            Procedure.objects.get_or_create(
                code=item["code"], defaults={"name": f"Thủ tục {item['code']}", "at_commune": True}
            )
    procedures_load_curated()
    offices_load_demo()
    demo_accounts_load()
    return {"reference_s": time.perf_counter() - started}
