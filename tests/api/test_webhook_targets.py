"""Where a webhook may go (#23): the address that was checked is the address connected to
(no DNS rebinding onto the platform's own ports), and every target that cannot be reached
leaves the same text, so the deliveries list is no port scanner."""

from __future__ import annotations

import socket

import pytest

from api.webhooks.delivery import UNREACHABLE, webhook_endpoint_create
from api.webhooks.models import Event, WebhookDelivery
from samples.services.requests import sample_request_approve
from tests.api.receiver import Listener, Receiver, closed_port
from tests.samples.factories import T0, request_at, travel

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.216.34"
REBINDING = "hooks.rebind.test"


@pytest.fixture
def rebinding_dns(monkeypatch):
    """A name that answers a public address the first time and 127.0.0.1 every time after;
    connections to the public address are refused (no network in tests), recorded all."""
    real_resolve, real_connect = socket.getaddrinfo, socket.create_connection
    answers, connected = [PUBLIC], []

    def resolve(host, port, *args, **kwargs):
        if host != REBINDING:
            return real_resolve(host, port, *args, **kwargs)
        address = answers.pop(0) if answers else "127.0.0.1"
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port or 0))]

    def connect(address, *args, **kwargs):
        connected.append(address[0])
        if address[0] == PUBLIC:
            raise ConnectionRefusedError(111, "Connection refused")
        return real_connect(address, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    monkeypatch.setattr(socket, "create_connection", connect)
    return connected


def _deliver_to(url, capture):
    sample = request_at(T0)
    webhook_endpoint_create(merchant=sample.merchant, url=url, events=[Event.SAMPLE_STATE_CHANGED])
    with travel(T0), capture(execute=True):
        sample_request_approve(sample=sample, by=sample.merchant.user)
    return WebhookDelivery.objects.get(endpoint__url=url)


def test_api5_a_name_rebound_to_localhost_never_reaches_a_local_port(rebinding_dns, django_capture_on_commit_callbacks):
    with Listener() as internal:
        delivery = _deliver_to(f"https://{REBINDING}:{internal.port}/hooks", django_capture_on_commit_callbacks)
    assert internal.connections == 0
    assert rebinding_dns == [PUBLIC]  # the one address checked is the one address dialled
    assert (delivery.last_status, delivery.last_response) == (None, str(UNREACHABLE))


def test_api5_open_closed_and_non_web_ports_leave_the_same_text(django_capture_on_commit_callbacks):
    with Listener() as ssh_like:
        open_port = _deliver_to(f"http://127.0.0.1:{ssh_like.port}/hooks", django_capture_on_commit_callbacks)
    closed = _deliver_to(f"http://127.0.0.1:{closed_port()}/hooks", django_capture_on_commit_callbacks)
    assert ssh_like.connections == 1
    assert (open_port.last_status, open_port.last_response) == (None, str(UNREACHABLE))
    assert (closed.last_status, closed.last_response) == (None, str(UNREACHABLE))


def test_api5_a_name_resolving_to_a_private_address_leaves_the_same_text(monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(socket, "getaddrinfo",
                        lambda host, port, *a, **k: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.0.0.5", port or 0))])
    delivery = _deliver_to("https://intranet.example.test/hooks", django_capture_on_commit_callbacks)
    assert (delivery.last_status, delivery.last_response) == (None, str(UNREACHABLE))


def test_api5_the_receiver_still_gets_the_host_header_of_its_name(django_capture_on_commit_callbacks):
    with Receiver() as receiver:
        delivery = _deliver_to(receiver.url, django_capture_on_commit_callbacks)
    (headers, _), = receiver.received
    assert headers["host"] == f"127.0.0.1:{receiver.server.server_port}"
    assert (delivery.state, delivery.last_status) == ("delivered", 200)
