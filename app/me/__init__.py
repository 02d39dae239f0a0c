"""The signed-in person's own routes under ``/me``: 用户信息 and 个人信息保护 (consents, export,
deletion). On top of the domains: the export gathers every domain's rows (through the
registry in ``app.privacy.registry``) into one typed archive."""
