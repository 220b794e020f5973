"""`make run`'s set-up in one process (one Django start instead of three): migrate, collect
the static files when asked (run.sh asks only when they changed), seed the demo world the
first time, and print the demo logins. Each part's seconds go to stderr (var/log/setup.log,
then var/log/run-timings.txt)."""

import sys
import time

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Migrate, collect the static files (--collectstatic), seed the demo world once, print the logins."

    def add_arguments(self, parser):
        parser.add_argument("--collectstatic", action="store_true", help="Also run collectstatic.")

    def handle(self, *args, **options):
        def timed(name, *cmd, **kwargs):
            start = time.monotonic()
            call_command(*cmd, skip_checks=True, **kwargs)
            print(f"  {name:<12} {time.monotonic() - start:6.1f} s", file=sys.stderr)

        timed("migrate", "migrate", interactive=False, verbosity=0)
        if options["collectstatic"]:
            timed("collectstatic", "collectstatic", interactive=False, verbosity=0)
        timed("seed_demo", "seed_demo", once=True, stdout=self.stdout)
