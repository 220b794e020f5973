"""Build the benchmark's big world (bench.world) in an empty, migrated database."""

import time

from django.core.management.base import BaseCommand

from bench import world


class Command(BaseCommand):
    help = "Build the big world: 1,000,000 sample requests, 200,000 filings, 50,000 products… (--scale for quick runs)"

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = full size; 0.01 = a hundredth")

    def handle(self, *args, scale, **options):
        started = time.perf_counter()
        sizes = world.build(scale, log=lambda line: self.stdout.write(f"  {line}"))
        self.stdout.write(f"world built in {time.perf_counter() - started:.1f} s: {sizes}")
