from django.core.management.base import BaseCommand

from congso.audit.chain import chain_verify


class Command(BaseCommand):
    help = "Verify the hash chain of the audit log; exit code 1 and the first broken link when it is broken."

    def handle(self, *args, **options):
        result = chain_verify()
        if result.ok:
            self.stdout.write(f"audit chain OK: {result.checked} events")
            return
        link = result.broken
        self.stderr.write(
            f"audit chain BROKEN at event id={link.event_id} seq={link.seq} ({link.field}): "
            f"expected {link.expected}, found {link.found} (after {result.checked - 1} good events)"
        )
        raise SystemExit(1)
