"""For test runs only: the `kiosk` and `kiosk-hub` processes the tests start hash PINs and
passwords at scrypt n=2**10, as the tests themselves do (tests/conftest.py puts this
folder first on their PYTHONPATH). The tests are of rules that count sign-ins, not of
the hash's cost; tests/kiosk/test_staff.py checks the real cost in-process."""

from kiosk import roles

roles._N = 2**10
