"""Logging in and staying in: the login page with its CSRF token, lock-out after repeated failures,
sessions that expire, disabling and resetting users, bearer tokens; who sees which orders and
reviews; the audit log and its refusal to be changed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from lvzhi.services import accounts
from tests.apptools import app_of, client_on_copy, log_in, log_out
from tests.dbtools import TEST_USERS

BURNING = "地里有人烧麦秆，烟大得睁不开眼"


@pytest.fixture
def client(tmp_path: Path, cli_template: Path) -> Iterator[TestClient]:
    with client_on_copy(cli_template, tmp_path, user=None) as client:
        yield client


def csrf(client: TestClient) -> str:
    if "lvzhi_csrf" not in client.cookies:
        client.get("/login")
    return client.cookies["lvzhi_csrf"]


def login(client: TestClient, username: str, password: str | None = None, **extra: str):
    password = TEST_USERS[username]["password"] if password is None else password
    form = {"username": username, "password": password, "csrf_token": csrf(client), **extra}
    return client.post("/login", data=form, follow_redirects=False)


def test_the_login_page_logs_in_and_out_and_returns_to_the_page_asked_for(client):
    page = client.get("/orders", follow_redirects=False)
    assert page.status_code == 303 and page.headers["location"] == "/login?next=%2Forders"
    form = client.get(page.headers["location"]).text
    assert 'name="csrf_token"' in form and 'name="next" value="/orders"' in form
    done = login(client, "clerk", next="/orders")
    assert done.status_code == 303 and done.headers["location"] == "/orders"
    cookie = done.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie.replace("Lax", "lax")
    assert "退出" in client.get("/orders").text
    assert client.get("/api/v1/auth/me").json()["role"] == "township_staff"
    client.post("/logout", data={"csrf_token": csrf(client)})
    assert client.get("/api/v1/orders").status_code == 401
    assert login(client, "clerk", next="https://evil.example/").headers["location"] == "/"


def test_a_form_without_the_csrf_token_is_refused(client):
    login(client, "clerk")
    refused = client.post("/orders", data={"content": BURNING}, follow_redirects=False)
    assert refused.status_code == 403 and "CSRF" in refused.text
    wrong = client.post("/orders", data={"content": BURNING, "csrf_token": "x" * 32})
    assert wrong.status_code == 403
    json_without = client.post("/api/v1/orders", json={"content": BURNING})
    assert json_without.status_code == 403
    assert client.get("/api/v1/orders").json()["total"] == 0  # nothing was stored
    ok = client.post("/orders", data={"content": BURNING, "csrf_token": csrf(client)},
                     follow_redirects=False)  # fmt: skip
    assert ok.status_code == 303
    header = client.post("/api/v1/orders", json={"content": BURNING},
                         headers={"X-CSRF-Token": csrf(client)})  # fmt: skip
    assert header.status_code == 201


def test_five_failures_lock_the_account_for_fifteen_minutes(client):
    for _ in range(4):
        assert login(client, "hotline", "wrong-password").status_code == 401
    locked = login(client, "hotline", "wrong-password")
    assert locked.status_code == 429 and "锁定" in locked.text
    assert login(client, "hotline").status_code == 429  # even the right password, for now
    database = app_of(client).state.database
    later = accounts.now_utc() + accounts.LOCKOUT
    with pytest.raises(accounts.LoginFailed):  # the lock is over, the failures counted afresh
        accounts.authenticate(database.uow(), "hotline", "wrong", now=later)
    accounts.reset_password(database.uow(), "hotline", TEST_USERS["hotline"]["password"])
    assert login(client, "hotline").status_code == 303


def test_too_many_attempts_from_one_address_are_slowed_down(client):
    codes = [login(client, "nobody", "wrong-password").status_code for _ in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    api = client.post("/api/v1/auth/login", json={"username": "nobody", "password": "x"})
    assert api.status_code == 429 and int(api.headers["retry-after"]) > 0


def test_sessions_expire_when_idle_and_after_the_longest_time(client):
    app = app_of(client)
    now = [1_000_000.0]
    app.state.clock = lambda: now[0]
    login(client, "clerk")
    now[0] += 29 * 60
    assert client.get("/api/v1/orders").status_code == 200  # in use: the idle window slides
    now[0] += 29 * 60
    assert client.get("/api/v1/orders").status_code == 200
    now[0] += 31 * 60
    assert client.get("/api/v1/orders").status_code == 401  # idle too long
    login(client, "clerk")
    for _ in range(25):  # busy all day: still over after 12 hours
        now[0] += 29 * 60
        client.get("/api/v1/auth/me")
    assert client.get("/api/v1/auth/me").status_code == 401


def test_disabling_or_resetting_a_user_ends_their_sessions_and_tokens(client):
    database = app_of(client).state.database
    login(client, "agri")
    assert client.get("/api/v1/auth/me").status_code == 200
    accounts.set_active(database.uow(), "agri", False)
    assert client.get("/api/v1/auth/me").status_code == 401
    assert login(client, "agri").status_code == 401  # same answer as a wrong password
    accounts.set_active(database.uow(), "agri", True)
    token = client.post("/api/v1/auth/login", json={"username": "agri",
                        "password": TEST_USERS["agri"]["password"]}).json()["token"]  # fmt: skip
    bearer = {"Authorization": f"Bearer {token}"}
    assert client.get("/api/v1/auth/me", headers=bearer).json()["department"] == "县农业农村局"
    accounts.reset_password(database.uow(), "agri", "a-new-password")
    assert client.get("/api/v1/auth/me", headers=bearer).status_code == 401
    bad = client.get("/api/v1/orders", headers={"Authorization": "Bearer lvz_forged"})
    assert bad.status_code == 401 and bad.headers["www-authenticate"].startswith("Bearer")


def test_each_role_sees_only_its_orders_and_contact_data_only_when_handling(client):
    log_in(client, "hotline")
    burning = client.post(
        "/api/v1/orders", json={"content": BURNING, "reporter_phone": "13812345678", "by": "话务员"}
    )
    lamp = client.post(
        "/api/v1/orders", json={"content": "村口路灯坏了，晚上看不见路", "by": "话务员"}
    )
    first, second = burning.json()["order"], lamp.json()["order"]
    assert first["routing"]["responsible"] == "县农业农村局"
    assert second["routing"]["responsible"] != "县农业农村局"
    log_in(client, "clerk")
    assert client.get("/api/v1/orders").json()["total"] == 2
    assert (
        client.get(f"/api/v1/orders/{first['id']}?contact=true").json()["reporter"]["phone"]
        == "13812345678"
    )
    log_in(client, "other_clerk")  # another township's clerk: these orders do not exist for them
    assert client.get("/api/v1/orders").json()["total"] == 0
    assert client.get(f"/api/v1/orders/{first['id']}").status_code == 404
    assert (
        client.post(
            f"/api/v1/orders/{first['id']}/notes", json={"by": "x", "text": "看看"}
        ).status_code
        == 404
    )
    log_in(client, "agri")  # the department sees what is routed or assigned to it
    seen = client.get("/api/v1/orders").json()
    assert [o["id"] for o in seen["orders"]] == [first["id"]]
    assert client.get(f"/api/v1/orders/{second['id']}").status_code == 404
    assert client.get("/api/v1/orders?assignee=党政办").json()["total"] == 0
    assign = client.post(f"/api/v1/orders/{first['id']}/assign", json={"by": "农业农村局"})
    assert assign.status_code == 403  # assigning is the township's
    log_in(client, "lister")  # may read orders, but is not handling them
    assert client.get(f"/api/v1/orders/{first['id']}").json()["reporter"]["phone"] == "138****5678"
    assert client.get(f"/api/v1/orders/{first['id']}?contact=true").status_code == 403
    log_out(client)
    assert client.get("/api/v1/orders").status_code == 401
    assert "13812345678" not in client.get("/open311/v2/requests.json").text


def test_reviews_are_scoped_to_the_township(client):
    log_in(client, "clerk")
    created = client.post(
        "/api/v1/reviews", json={"text": "请各乡开展消防安全宣传", "reviewer": "张三"}
    )
    assert created.status_code == 201
    log_in(client, "other_clerk")
    assert client.get("/api/v1/reviews").json()["count"] == 0
    assert client.get(f"/api/v1/reviews/{created.json()['id']}").status_code == 404
    refused = client.post(
        "/api/v1/reviews?township=额敏县某乡", json={"text": "请各乡开展宣传", "reviewer": "李四"}
    )
    assert refused.status_code in (403, 404)
    log_in(client, "admin")
    assert client.get("/api/v1/reviews").json()["count"] == 1


def test_every_write_is_in_the_audit_log_which_only_grows(client):
    log_in(client, "clerk")
    order = client.post("/api/v1/orders", json={"content": BURNING, "by": "张三"}).json()["order"]
    client.post(f"/api/v1/orders/{order['id']}/assign", json={"by": "张三"})
    assert client.get("/api/v1/audit").status_code == 403
    log_in(client, "admin")
    entries = client.get("/api/v1/audit?entity=work_orders").json()["entries"]
    update = next(e for e in entries if e["action"] == "update")
    assert update["actor"] == "clerk" and update["entity_id"] == str(order["id"])
    assert update["before"]["state"] == "new" and update["after"]["state"] == "assigned"
    assert update["before"]["version"] == 1 and update["after"]["version"] == 2
    created = next(e for e in entries if e["action"] == "insert")
    assert created["after"]["content"] == BURNING
    csv = client.get("/api/v1/audit/export.csv?entity=work_orders")
    assert csv.status_code == 200 and "修改前" in csv.content.decode("utf-8-sig")
    page = client.get("/audit?actor=clerk")
    assert page.status_code == 200 and "work_orders" in page.text
    engine = app_of(client).state.database.engine
    with engine.connect() as connection:
        for statement in ("UPDATE audit_log SET actor = 'x'", "DELETE FROM audit_log"):
            with pytest.raises(DBAPIError, match="只能追加"):
                connection.execute(text(statement))
            connection.rollback()


def test_the_admin_manages_users_through_the_api(client):
    log_in(client, "admin")
    made = client.post(
        "/api/v1/users", json={"username": "wang", "role": "department", "department": "人社局"}
    )
    assert made.status_code == 201
    secret = made.json()["secret"]
    listed = {u["username"]: u for u in client.get("/api/v1/users").json()}
    assert listed["wang"]["department"] == "县人力资源和社会保障局"
    log_out(client)
    token = client.post("/api/v1/auth/login", json={"username": "wang", "password": secret})
    assert token.status_code == 200
    log_in(client, "admin")
    assert client.post("/api/v1/users/wang/disable").json() == {"active": False}
    assert client.post("/api/v1/users/admin/disable").status_code == 422  # not oneself
    duplicate = client.post("/api/v1/users", json={"username": "wang", "role": "operator"})
    assert duplicate.status_code == 422 and "已存在" in duplicate.text
    log_in(client, "clerk")
    assert client.get("/api/v1/users").status_code == 403
