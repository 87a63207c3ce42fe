async def test_health(client):
    response = await client.get("/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


async def test_health_is_503_when_the_database_does_not_answer(client, db, monkeypatch):
    """Proxies take an instance out of rotation on a failed readiness check."""

    async def unreachable(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(type(db), "run_ddl", unreachable)
    response = await client.get("/health")
    assert response.status_code == 503
