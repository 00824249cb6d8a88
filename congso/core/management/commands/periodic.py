import importlib

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the clock-driven work of every app once (each app's periodic.tick()). "
        "Call it every minute from cron, a systemd timer or scripts/serve.sh."
    )

    def handle(self, *args, **options):
        failed = False
        for config in apps.get_app_configs():
            if not config.name.startswith("congso."):
                continue
            try:
                module = importlib.import_module(f"{config.name}.periodic")
            except ModuleNotFoundError as exc:
                if exc.name == f"{config.name}.periodic":
                    continue
                raise
            try:
                summary = module.tick()
            except Exception as exc:  # one app's failure must not stop the others' work
                failed = True
                self.stderr.write(f"{config.label}: {exc!r}")
                continue
            if summary and options["verbosity"] > 0:
                self.stdout.write(f"{config.label}: {summary}")
        if failed:
            raise SystemExit(1)
