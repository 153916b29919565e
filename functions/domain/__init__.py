"""Plain domain functions over the catalog model: no AWS, no HTTP."""
