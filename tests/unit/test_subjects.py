"""Timer subjects read once into a typed reference (issue 13): tickets and orders apart."""
from __future__ import annotations

import pytest

from chalicelib.domain.model import Order, order_subject, ticket_id_for
from chalicelib.services.subjects import OrderRef, TicketRef, subject_of


@pytest.mark.parametrize("seller, order_id", [("acme", "o1"), ("a:b", "c:d"), ("", "o:1"),
                                              ("12", "3:4"), ("x#y", "")])
def test_an_order_subject_reads_back_as_its_order_whatever_its_ids_hold(seller, order_id):
    subject = Order("cmsmart", order_id, seller_id=seller).subject_id
    assert subject == order_subject("cmsmart", seller, order_id)
    assert subject_of(subject) == OrderRef("cmsmart", seller, order_id)


def test_a_ticket_id_reads_as_a_ticket():
    ticket_id = ticket_id_for("cmsmart", "th-1")
    assert subject_of(ticket_id) == TicketRef(ticket_id)


@pytest.mark.parametrize("stale", ["order:cmsmart:o1", "order:cmsmart:9:acme:o1", "order:cmsmart:x:a:b"])
def test_an_order_subject_of_an_older_format_reads_as_a_ticket_that_is_not_there(stale):
    assert subject_of(stale) == TicketRef(stale)
