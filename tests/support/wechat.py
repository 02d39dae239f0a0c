"""WeChat's API for the adapter tests: its address (answered by respx) and an in-memory token cache."""

WECHAT = "https://api.weixin.qq.com"


class MemoryTokenCache:
    """Keeps the access token in this process, where the real cache shares it through the database."""

    def __init__(self):
        self.values = {}

    async def get(self, name):
        return self.values.get(name)

    async def put(self, name, value, expires_at):
        self.values[name] = value
