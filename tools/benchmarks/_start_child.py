"""Run in a fresh interpreter by the cold start benchmark: import a handler module, answer requests, print times.

    python _start_child.py MODULE REQUESTS [WARM]   with a list of API Gateway events as JSON on stdin

REQUESTS -1 imports only; 0 also answers the first event once; N then answers N more, going round the list.
WARM > 0 times that many further answers one by one, going round the list again. Prints one JSON line: import
seconds, whether the import brought boto3, first answer seconds, the status and body of the first answer, and
the median seconds of the timed answers. Nothing of the benchmark is imported, so the interpreter holds what
the handler imports and nothing else.
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
    events = json.loads(sys.stdin.read())
    started = clock()
    first = handler(events[0], None)
    out.update(first_s=clock() - started, status=first["statusCode"], body=first["body"])
    for i in range(requests):
        handler(events[(i + 1) % len(events)], None)
    samples = []
    for i in range(warm):
        event = events[i % len(events)]
        started = clock()
        handler(event, None)
        samples.append(clock() - started)
    if samples:
        out["warm_s"] = sorted(samples)[len(samples) // 2]
print(json.dumps(out))
