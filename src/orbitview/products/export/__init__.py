"""Writers from plain rows to bytes: each a small function, tested by parsing back.

``ics``: iCalendar events (passes, imaging opportunities) via the icalendar library.
"""
