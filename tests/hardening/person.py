"""A person's action run as its own process by the fault tests:
`python -m tests.hardening.person sample_request <creator_pk> <product_pk>` prints the new
request's id (exit status 0) as a web request would have made it."""

import sys

import django


def main(argv: list[str]) -> int:
    django.setup()
    from samples.services.requests import sample_request_create
    from shops.models import Creator, Product

    action, *ids = argv
    if action != "sample_request":
        raise SystemExit(f"unknown action {action}")
    creator = Creator.objects.select_related("user").get(pk=int(ids[0]))
    sample = sample_request_create(creator=creator, product=Product.objects.get(pk=int(ids[1])), by=creator.user)
    print(sample.pk)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
