"""For tests/app/test_cli_process.py: says what a process run by tests/cli_process.py sees,
then exits with the status its arguments ask for, or never when asked to hang."""

import json
import os
import signal
import sys

if __name__ == "__main__":
    mask = os.umask(0)
    seen = {
        "argv": sys.argv[1:],
        "cwd": os.getcwd(),
        "umask": mask,
        "probe": os.environ.get("PROBE"),
        "stdin": sys.stdin.read(),
    }
    print(json.dumps(seen))
    print("to stderr", file=sys.stderr)
    if "hang" in sys.argv:
        sys.stdout.flush()
        signal.pause()
    sys.exit(int(sys.argv[1]))
