"""Orchestration beside the domain: judge, store, hand on (AWS access stays in dal)."""
