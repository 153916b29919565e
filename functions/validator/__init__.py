"""Upload validation function (S3 ObjectCreated events through SQS)."""
