from django.core.management.base import BaseCommand

from frameworks.demo import seed_frameworks


class Command(BaseCommand):
    help = "Install the frameworks that ship with the app (GreenComp, DigCompEdu); idempotent."

    def handle(self, *args, **options):
        for result in seed_frameworks():
            state = "imported" if result.created else "unchanged"
            self.stdout.write(f"{result.framework.slug} v{result.framework.version}: {state}")
