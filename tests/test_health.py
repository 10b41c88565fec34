def test_health_reports_database_and_broker_up(client, db):
    response = client.get("/health/")
    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] == "ok"
    assert body["status"] == "ok"


def test_health_reports_broker_down_with_503(client, db, settings):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["broker"] == "down"
