"""Lambda entry point of the claims function: file a claim, read its status, new upload forms.

It talks to DynamoDB and S3 (the catalog API does not): a resolver of its own (api.aws_function).
"""

from __future__ import annotations

from api.app import CLAIMS_ROUTERS
from api.aws_function import aws_function

app, lambda_handler = aws_function(CLAIMS_ROUTERS)
