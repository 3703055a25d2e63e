"""Tickets: 100 random bits as 20 Crockford base32 characters, grouped for paper, read back forgivingly."""

from server.evaluation import tickets


def test_tickets_are_long_random_and_distinct() -> None:
    batch = {tickets.new_ticket() for _ in range(2000)}
    assert len(batch) == 2000
    for t in batch:
        assert len(t) == 20 and set(t) <= set(tickets.ALPHABET)
    assert len(tickets.ALPHABET) ** tickets.TICKET_CHARS >= 2**96


def test_printed_number_reads_back_whatever_the_case_dashes_or_confusable_letters() -> None:
    t = "0123456789ABCDEFGHJK"
    number = tickets.printable(t)
    assert number == "0123-4567-89AB-CDEF-GHJK"
    assert tickets.normalize(number) == t
    assert tickets.normalize(" " + number.lower().replace("-", " ") + " ") == t
    assert tickets.normalize("O123-4567-89AB-CDEF-GHJK") == t  # letter O typed for zero
    assert tickets.normalize("0l23-4567-89AB-CDEF-GHJK") == t  # lower-case L typed for one


def test_anything_that_cannot_be_a_ticket_is_none() -> None:
    for bad in (
        "",
        "ABC",
        "0123-4567-89AB-CDEF-GHJ",
        "0123-4567-89AB-CDEF-GHJKX",
        "0123-4567-89AB-CDEF-GHJU",
        "../../etc/passwd",
        "0123456789ABCDEFGHJ!",
    ):
        assert tickets.normalize(bad) is None, bad


def test_the_period_is_the_quarter_and_nothing_finer() -> None:
    import datetime as dt

    assert tickets.quarter_of(dt.date(2026, 1, 1)) == "2026Q1"
    assert tickets.quarter_of(dt.date(2026, 3, 31)) == "2026Q1"
    assert tickets.quarter_of(dt.date(2026, 4, 1)) == "2026Q2"
    assert tickets.quarter_of(dt.date(2026, 12, 31)) == "2026Q4"
