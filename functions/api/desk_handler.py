"""Lambda entry point of the desk function: the claims staff's list, read and decisions on claims.

Behind the staff authorizer; it reads every claim and signs links to their documents, which no other
function may: a resolver of its own (api.aws_function).
"""

from __future__ import annotations

from api.app import DESK_ROUTERS
from api.aws_function import aws_function

app, lambda_handler = aws_function(DESK_ROUTERS)
