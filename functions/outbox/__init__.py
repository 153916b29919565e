"""The outbox's consumer: delivers each effect a write stored beside it (services.effects)."""
