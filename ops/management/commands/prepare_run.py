"""`make run`'s set-up in one process (one Django start instead of three): migrate, collect
the static files when asked (run.sh asks only when they changed), seed the demo world the
first time, and print the demo logins."""

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, collect the static files (--collectstatic), seed the demo world once, print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--collectstatic", action="store_true", help="Also run collectstatic.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0, skip_checks=True)
        if options["collectstatic"]:
            call_command("collectstatic", interactive=False, verbosity=0, skip_checks=True)
        call_command("seed_demo", once=True, stdout=self.stdout, skip_checks=True)
