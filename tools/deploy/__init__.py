"""Deploy one environment of samconfig.toml to AWS: `make deploy` (python -m deploy)."""
