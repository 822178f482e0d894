"""Settings, one module per environment: development (default), test, production."""
