"""Lambda entry point of the applications function: take an online application, show its status.

It writes applications, queues them for the insurer and sends the confirmation e-mail (the catalog
API talks to no AWS service): a resolver of its own (api.aws_function).
"""

from __future__ import annotations

from api.app import APPLICATION_ROUTERS
from api.aws_function import aws_function

app, lambda_handler = aws_function(APPLICATION_ROUTERS)
