"""Handlers for testing the local stack's Lambda runtime itself."""

from __future__ import annotations

import time
from typing import Any


def sleepy_handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """Sleeps event["seconds"], then says how much time Lambda's context said was left when it began."""
    left = context.get_remaining_time_in_millis()
    time.sleep(float(event["seconds"]))
    return {"left_ms": left}
