"""Write the generated OpenAPI document to functions/api/openapi.json (the committed copy).

Run after adding or changing a route: `cd functions && ../.venv/bin/python -m api.openapi`
(tests/api/test_app_errors.py fails while the committed copy differs from the code).
"""

from __future__ import annotations

import sys

from api.app import OPENAPI_COMMITTED as COMMITTED
from api.app import openapi_schema


def generated() -> str:
    return openapi_schema().rstrip("\n") + "\n"


def main() -> int:
    COMMITTED.write_text(generated(), encoding="utf-8")
    print(f"wrote {COMMITTED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
