"""Reading an ICAO passport's chip (Doc 9303) through PC/SC, and checking what it holds.

An adapter on the core: it imports `kiosk` only. The reader sees PC/SC through pyscard;
the checks use `cryptography` and `asn1crypto`, never hand-written ASN.1 parsing.
"""
