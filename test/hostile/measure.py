"""Runs a command and prints, as JSON, its exit code, wall time, peak memory (max RSS of the child) and output.

Measured from outside the process, as a user would see it: the tests hold hostile inputs to a time and a
memory bound without trusting the process to report on itself.
"""
import json
import resource
import subprocess
import sys
import time

start = time.monotonic()
child = subprocess.run(sys.argv[1:], capture_output=True)
seconds = time.monotonic() - start
peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
print(json.dumps({
    "code": child.returncode,
    "seconds": seconds,
    "peakMiB": peak_kib / 1024,
    "stdout": child.stdout.decode("utf-8", "replace"),
    "stderr": child.stderr.decode("utf-8", "replace"),
}))
