"""Lambda entry points behind API Gateway."""
