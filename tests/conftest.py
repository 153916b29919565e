"""Test-wide setup: pytest puts this directory on sys.path, so tests import shared helpers as `helpers.*`."""
