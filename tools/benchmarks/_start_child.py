"""Run in a fresh interpreter by the cold start benchmark: import a handler module, answer requests, print times.

    python _start_child.py MODULE REQUESTS [WARM]   with the API Gateway event as JSON on stdin

REQUESTS -1 imports only; 0 also answers the event once; N answers it once more N times. WARM > 0 times that
many further answers one by one. Prints one JSON line: import seconds, whether the import brought boto3, first
answer seconds, the status and body of the first answer, and the median seconds of the timed answers. Nothing
of the benchmark is imported, so the interpreter holds what the handler imports and nothing else.
"""

import importlib
import json
import sys
import time

clock = time.perf_counter
module, requests = sys.argv[1], int(sys.argv[2])
warm = int(sys.argv[3]) if len(sys.argv) > 3 else 0
started = clock()
handler = importlib.import_module(module).lambda_handler
imported = clock() - started
out: dict = {"import_s": imported, "boto3": "boto3" in sys.modules}
if requests >= 0:
    event = json.loads(sys.stdin.read())
    started = clock()
    first = handler(event, None)
    out.update(first_s=clock() - started, status=first["statusCode"], body=first["body"])
    for _ in range(requests):
        handler(event, None)
    samples = []
    for _ in range(warm):
        started = clock()
        handler(event, None)
        samples.append(clock() - started)
    if samples:
        out["warm_s"] = sorted(samples)[len(samples) // 2]
print(json.dumps(out))
