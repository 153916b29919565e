"""Data access: DynamoDB and S3."""
