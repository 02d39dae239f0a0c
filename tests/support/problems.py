"""What every refusal of the API looks like: problem+json, a stable code, a zh-CN title."""


def assert_problem(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text[:500]
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    if code is not None:
        assert body["code"] == code
    assert body["request_id"] == response.headers["x-request-id"]
    assert any("\u4e00" <= ch <= "\u9fff" for ch in body["title"]), body["title"]
    return body
