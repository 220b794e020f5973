"""Create a platform key for the order system (scope `orders`) and print it once."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from api.keys import api_key_create


class Command(BaseCommand):
    help = "Create a platform API key (order feed) for a staff user and print it once."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("name")
        parser.add_argument("--days", type=int, default=365)

    def handle(self, username, name, days, **options):
        user = get_user_model().objects.filter(username=username, is_staff=True).first()
        if user is None:
            raise CommandError(f"no staff user {username!r}")
        key, secret = api_key_create(owner=user, name=name, scopes=["orders"], days=days, kind="platform")
        self.stdout.write(secret)
