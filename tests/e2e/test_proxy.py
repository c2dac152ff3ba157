"""Behind a reverse proxy (``LVZHI_TRUSTED_PROXIES``): the client address and the scheme come from
``X-Forwarded-For`` / ``X-Forwarded-Proto`` only when the direct peer is a trusted proxy, and the
client is the right-most address the trusted proxies did not add (a client can write anything on
the left)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from lvzhi.api.app import create_app
from lvzhi.cli import app as cli
from lvzhi.config import Settings
from tests.apptools import app_of
from tests.dbtools import TEST_USERS, copy_sqlite

PROXY = "10.0.0.1"
ALICE, BOB = "203.0.113.5", "203.0.113.6"


@contextmanager
def client_via(template: Path, folder: Path, peer: str, trusted: str = "") -> Iterator[TestClient]:
    """A client whose requests reach the app from ``peer`` (the proxy, or a client connecting
    directly), with ``trusted`` as LVZHI_TRUSTED_PROXIES."""
    target = folder / "api.sqlite"
    copy_sqlite(template, target)
    settings = Settings(database_url=f"sqlite:///{target}", trusted_proxies=trusted)
    with TestClient(create_app(settings), client=(peer, 40000)) as client:
        yield client


def failed_login(client: TestClient, forwarded_for: str | None = None, **headers: str) -> int:
    if forwarded_for is not None:
        headers["X-Forwarded-For"] = forwarded_for
    form = client.get("/login", headers=headers)
    token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    answer = client.post(
        "/login", data={"username": "nobody", "password": "wrong", "csrf_token": token},
        headers={**headers, "Cookie": f"lvzhi_csrf={token}"}, follow_redirects=False,
    )  # fmt: skip
    return answer.status_code


def limited_addresses(client: TestClient) -> set[str]:
    return set(app_of(client).state.login_limiter._seen)


def test_behind_a_trusted_proxy_each_client_has_its_own_login_limit(tmp_path, cli_template):
    with client_via(cli_template, tmp_path, PROXY, f"{PROXY}, 10.9.0.0/16") as client:
        alice = [failed_login(client, ALICE) for _ in range(11)]
        assert alice[:10] == [401] * 10 and alice[10] == 429
        assert failed_login(client, BOB) == 401  # Alice's typos do not lock Bob out
        # a forged left-most entry does not choose the key: the proxy appended Alice's address
        assert failed_login(client, f"{BOB}, {ALICE}") == 429
        assert failed_login(client, f"198.51.100.7, {BOB}") == 401
        # two trusted hops (10.9.0.0/16 is an inner proxy): the client is the first untrusted
        assert failed_login(client, f"198.51.100.7, {ALICE}, 10.9.3.4") == 429
        assert limited_addresses(client) == {ALICE, BOB}


def test_without_trusted_proxies_a_forged_forwarded_for_is_ignored(tmp_path, cli_template):
    with client_via(cli_template, tmp_path, PROXY) as client:
        codes = [failed_login(client, f"198.51.100.{n}") for n in range(11)]
        assert codes[:10] == [401] * 10 and codes[10] == 429
        assert limited_addresses(client) == {PROXY}


def test_a_client_connecting_directly_cannot_pose_as_the_proxy(tmp_path, cli_template):
    with client_via(cli_template, tmp_path, "192.0.2.9", PROXY) as client:
        failed_login(client, ALICE, **{"X-Forwarded-Proto": "https"})
        assert limited_addresses(client) == {"192.0.2.9"}
        cookies = session_and_csrf_cookies(client, **{"X-Forwarded-Proto": "https"})
        assert not any("secure" in c.lower() for c in cookies)


def session_and_csrf_cookies(client: TestClient, **headers: str) -> list[str]:
    """The Set-Cookie headers of a page (the CSRF cookie) and of a successful login (the
    session cookie)."""
    client.cookies.clear()
    page = client.get("/login", headers=headers)
    token = page.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    done = client.post(
        "/login",
        data={"username": "clerk", "password": TEST_USERS["clerk"]["password"],
              "csrf_token": token},
        headers={**headers, "Cookie": f"lvzhi_csrf={token}"}, follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    cookies = [page.headers["set-cookie"], done.headers["set-cookie"]]
    assert cookies[0].startswith("lvzhi_csrf=") and cookies[1].startswith("lvzhi_session=")
    return cookies


@pytest.mark.parametrize(
    ("trusted", "proto", "secure"),
    [(PROXY, "https", True), (PROXY, "http", False), (PROXY, None, False), ("", "https", False)],
)
def test_https_at_the_proxy_makes_the_cookies_secure(
    tmp_path, cli_template, trusted, proto, secure
):
    headers = {"X-Forwarded-For": ALICE} | ({"X-Forwarded-Proto": proto} if proto else {})
    with client_via(cli_template, tmp_path, PROXY, trusted) as client:
        cookies = session_and_csrf_cookies(client, **headers)
    assert [("; secure" in c.lower()) for c in cookies] == [secure, secure]


def test_plain_http_on_the_own_machine_keeps_cookies_without_secure(tmp_path, cli_template):
    with client_via(cli_template, tmp_path, "127.0.0.1") as client:  # make run
        assert not any("secure" in c.lower() for c in session_and_csrf_cookies(client))


def test_trusted_proxies_are_addresses_or_networks(monkeypatch):
    settings = Settings(trusted_proxies=" 127.0.0.1, 10.1.2.3/16,::1 ")
    assert settings.trusted_proxy_list == ["127.0.0.1", "10.1.0.0/16", "::1"]
    assert Settings().trusted_proxy_list == []
    for wrong in ("*", "nginx"):
        with pytest.raises(ValueError, match="不是 IP 地址或网段"):
            Settings(trusted_proxies=wrong)
    runner = CliRunner()
    refused = runner.invoke(cli, ["serve", "--trusted-proxies", "*"])
    assert refused.exit_code == 2 and "不是 IP 地址或网段" in refused.output
    monkeypatch.setenv("LVZHI_TRUSTED_PROXIES", "proxy.example")
    refused = runner.invoke(cli, ["serve"])
    assert refused.exit_code == 2 and "LVZHI_TRUSTED_PROXIES" in refused.output
