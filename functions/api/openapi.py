"""Write the generated OpenAPI document to functions/api/openapi.json (the committed copy).

Run after adding or changing a route: `cd functions && ../.venv/bin/python -m api.openapi`
(tests/api/test_openapi.py fails while the committed copy differs from the code).
"""

from __future__ import annotations

import sys
from pathlib import Path

COMMITTED = Path(__file__).with_name("openapi.json")


def generated() -> str:
    from api.app import openapi_schema

    return openapi_schema().rstrip("\n") + "\n"


def main() -> int:
    COMMITTED.write_text(generated(), encoding="utf-8")
    print(f"wrote {COMMITTED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
