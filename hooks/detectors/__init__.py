"""detect-secrets plugins of our own, for providers that assistants leak and detect-secrets lacks.

Each is a detect-secrets `RegexBasedDetector` built from the provider's documented key format, so
it runs inside detect-secrets with its filters, exactly like the built-in plugins.
"""
