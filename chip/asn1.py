"""What asn1crypto raises on malformed input, for every place that parses what a chip or
a file sends. Besides ValueError, TypeError and KeyError it raises AttributeError and
IndexError on some re-tagged or truncated structures: 54 of the 200,940 one-byte changes
of an EF.SOD did, none once these were caught (tests/chip/test_hostile_chip.py pins four).
"""

MALFORMED = (ValueError, TypeError, KeyError, AttributeError, IndexError)
