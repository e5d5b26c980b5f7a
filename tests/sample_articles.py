"""Small articles the tests add; importable by name (tests/feed_tests has a conftest of its own)."""

ARTICLE = """Night trains return to the Alps

by Travel desk

After a decade away, sleeper trains are running again between Zurich and Vienna. The first train left on Sunday evening, full.

Operators say demand has doubled since 2020. Tickets for December are already sold out on most nights.

What changed

Cheaper couchettes and new carriages helped. Passengers also said they wanted to avoid short flights.
"""
