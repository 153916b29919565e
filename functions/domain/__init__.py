"""Plain domain functions over the catalog model: no AWS, no web framework (a refusal names the status the
API answers it with)."""
