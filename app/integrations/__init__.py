"""External systems behind small protocols; ``build_adapters`` picks each one from settings."""
