import importlib

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils import translation

from congso.accounts.demo import DEMO_PASSWORD, demo_accounts_load
from congso.catalog.curated import procedures_load_curated
from congso.dossiers.demo import offices_load_demo
from congso.geo.services import hamlets_generate_demo


class Command(BaseCommand):
    help = (
        "Load the Cà Mau demo: units, demo hamlets, the procedure catalogue and one account per role. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        call_command("geo_load", stdout=self.stdout)
        hamlets = hamlets_generate_demo(province_code=settings.CONGSO_PROVINCE_CODE)
        self.stdout.write(f"demo hamlets: {hamlets} created")
        call_command("catalog_load", stdout=self.stdout)
        curated = procedures_load_curated()
        self.stdout.write(f"curated procedures: {curated['structured']} structured, {curated['kept']} kept")
        self.stdout.write(f"receiving offices: {offices_load_demo()} created")
        with translation.override("vi"):
            rows = demo_accounts_load()
            # Each later app keeps its own demo data in <app>/demo.py (payments, outreach, indicators, ...).
            for config in apps.get_app_configs():
                if config.name.startswith("congso.") and config.label not in {"core", "geo", "catalog"}:
                    try:
                        module = importlib.import_module(f"{config.name}.demo")
                    except ModuleNotFoundError as exc:
                        if exc.name == f"{config.name}.demo":
                            continue
                        raise
                    if hasattr(module, "load_demo"):
                        self.stdout.write(f"{config.label}: {module.load_demo()}")
        self.stdout.write("")
        self.stdout.write(
            self.style.SUCCESS(f"Tài khoản demo (mật khẩu chung / shared password: {DEMO_PASSWORD})")
        )
        width = max(len(r[0]) for r in rows)
        for email, role, unit in rows:
            self.stdout.write(f"  {email:<{width}}  {role} — {unit}")
        if getattr(settings, "CONGSO_STAFF_MFA_REQUIRED", True):
            self.stdout.write(
                "Cán bộ bật xác thực hai yếu tố (ứng dụng TOTP) ở lần đăng nhập đầu. "
                "Thử nhanh không cần ứng dụng: CONGSO_STAFF_MFA_REQUIRED=0 make run"
            )
