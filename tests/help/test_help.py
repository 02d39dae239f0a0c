"""帮助指引."""

REQUIRED_TOPICS = [
    "注册",
    "刷脸",
    "找回密码",
    "我的材料",
    "在线办理",
    "我的办件",
    "亮证",
    "好差评",
    "办件查询",
    "证书查询",
]


async def test_help_covers_every_flow_of_the_manual(api):
    response = await api.get("/help/articles", params={"limit": 100})

    assert response.status_code == 200
    articles = response.json()["items"]
    titles = " ".join(a["title"] for a in articles)
    missing = [topic for topic in REQUIRED_TOPICS if topic not in titles]
    assert not missing


async def test_an_article_reads_as_concrete_steps(api):
    first = (await api.get("/help/articles")).json()["items"][0]

    article = (await api.get(f"/help/articles/{first['id']}")).json()

    assert article["title"] == first["title"]
    assert len(article["body"]) >= 150
    assert "1." in article["body"] or "1、" in article["body"]


async def test_an_unknown_article_is_a_404(api):
    response = await api.get("/help/articles/no-such-article")

    assert response.status_code == 404
    assert response.json()["code"] == "help.article_not_found"
