"""Page protections: headers, CSRF, session cookies, sign-in limits, escaping of product text."""

from __future__ import annotations

import typing as t

import pytest
from flask import Flask
from flask.testing import FlaskClient

from catalog import create_app
from catalog.models import Role
from tests.web.conftest import PASSWORD
from tests.web.conftest import add_product
from tests.web.conftest import add_staff
from tests.web.conftest import csrf_token
from tests.web.conftest import sign_in


def test_pages_send_a_strict_content_security_policy(client: FlaskClient) -> None:
    response = client.get("/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"
    html = response.get_data(as_text=True)
    assert "<script>" not in html and " style=" not in html and "<style" not in html


def test_static_files_are_not_sniffed_and_the_api_is_left_as_it_was(client: FlaskClient) -> None:
    css = client.get("/static/css/site.css")
    assert css.status_code == 200
    assert css.headers["X-Content-Type-Options"] == "nosniff"
    api = client.get("/api/v1/rates")
    assert "Content-Security-Policy" not in api.headers


def test_errors_of_pages_are_pages_and_errors_of_the_api_are_problems(client: FlaskClient) -> None:
    page = client.get("/no-such-page")
    assert page.status_code == 404
    assert page.mimetype == "text/html"
    assert "There is nothing at this address." in page.get_data(as_text=True)
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404
    assert api.mimetype == "application/problem+json"


def test_a_form_sent_without_its_token_is_refused(app: Flask, client: FlaskClient, editor: str) -> None:
    response = client.post("/signin", data={"name": editor, "password": PASSWORD})
    assert response.status_code == 400
    assert "This form has expired or was not sent from this site." in response.get_data(as_text=True)
    assert sign_in(client, editor).status_code == 302
    product_id = add_product(app)
    forged = client.post(f"/staff/products/{product_id}/edit", data={"status": "archived", "version": "1"})
    assert forged.status_code == 400
    wrong = client.post("/signout", data={"csrf_token": "forged"})
    assert wrong.status_code == 400


def test_the_json_api_needs_no_csrf_token(client: FlaskClient) -> None:
    response = client.post("/api/v1/products", json={})
    assert response.status_code == 401  # the bearer token is what the API asks for


def test_session_cookie_is_secure_httponly_and_lax(tmp_path: t.Any, app_config: dict[str, t.Any]) -> None:
    app = create_app({**app_config, "WEB_SECURE_COOKIES": True}, instance_path=str(tmp_path / "secure"))
    add_staff(app, "olga", Role.EDITOR)
    client = app.test_client()
    response = sign_in(client, "olga")
    cookie = next(v for v in response.headers.getlist("Set-Cookie") if v.startswith("tianshan_session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    app.extensions["db"].dispose()


def test_sign_in_lands_staff_on_their_pages(client: FlaskClient, editor: str) -> None:
    response = sign_in(client, editor)
    assert response.status_code == 302
    assert response.headers["Location"] == "/staff/products"
    page = client.get("/staff/products").get_data(as_text=True)
    assert "olga" in page and 'href="/staff/rates"' in page


def test_wrong_password_and_unknown_name_get_the_same_answer(
    app: Flask, client: FlaskClient, editor: str
) -> None:
    wrong = sign_in(client, editor, "not the password")
    unknown = sign_in(client, "nobody", PASSWORD)
    for response in (wrong, unknown):
        assert response.status_code == 401
        assert "The name or the password is not right." in response.get_data(as_text=True)


def test_five_failures_lock_the_name_from_every_address(client: FlaskClient, editor: str) -> None:
    for _ in range(5):
        assert sign_in(client, editor, "guess", ip="10.0.0.7").status_code == 401
    locked = sign_in(client, editor, PASSWORD, ip="10.0.0.7")
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "Too many failed attempts. Wait 5 minutes, then try again." in locked.get_data(as_text=True)
    assert sign_in(client, editor, PASSWORD, ip="10.0.0.8").status_code == 429


def test_staff_pages_send_visitors_to_sign_in_and_refuse_other_roles(app: Flask, client: FlaskClient) -> None:
    response = client.get("/staff/products?status=draft")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/signin?next=/staff/products")
    add_staff(app, "aigerim", Role.HOST)
    sign_in(client, "aigerim")
    refused = client.get("/staff/products")
    assert refused.status_code == 403
    assert "Your role does not give access to this page." in refused.get_data(as_text=True)


def test_a_new_password_ends_sessions_opened_with_the_old_one(
    app: Flask, client: FlaskClient, editor: str
) -> None:
    sign_in(client, editor)
    assert client.get("/staff/products").status_code == 200
    runner = app.test_cli_runner()
    result = runner.invoke(args=["users", "password", editor, "--stdin"], input="another long password\n")
    assert result.exit_code == 0, result.output
    assert client.get("/staff/products").status_code == 302
    assert sign_in(client, editor, "another long password").status_code == 302


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (["nobody", "--stdin"], "long enough password\n", "no user named 'nobody'"),
        (["olga", "--stdin"], "short\n", "a password needs at least 12 characters"),
        (["olga", "--stdin"], "eleven char\n", "a password needs at least 12 characters"),
        (["olga", "--stdin"], "Password1234\n", "among the most common ones"),
        (["olga", "--stdin"], "qwertyuiop123\n", "among the most common ones"),
        (["olga", "--stdin"], "olga-is-my-password\n", "may not contain the account's name"),
        (["olga", "--stdin"], " padded password \n", "may not start or end with spaces"),
    ],
)
def test_password_command_refuses_bad_input(
    app: Flask, editor: str, args: list[str], stdin: str, message: str
) -> None:
    result = app.test_cli_runner().invoke(args=["users", "password", *args], input=stdin)
    assert result.exit_code != 0
    assert message in result.output


def test_sign_in_never_redirects_off_the_site(client: FlaskClient, editor: str) -> None:
    page = client.get("/signin").get_data(as_text=True)
    data = {"name": editor, "password": PASSWORD, "csrf_token": csrf_token(page), "next": "//evil.example/x"}
    response = client.post("/signin", data=data)
    assert response.headers["Location"] == "/staff/products"
    switch = client.get("/locale/ru?next=https://evil.example/")
    assert switch.headers["Location"] == "/"


def test_product_text_is_escaped_on_pages(app: Flask, client: FlaskClient) -> None:
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    content = {"zh": {"name": f"面粉 {attack}", "description": attack, "highlights": [attack]}}
    product_id = add_product(app, content=content, brand="<b>bold</b>")
    page = client.get(f"/products/{product_id}?locale=zh").get_data(as_text=True)
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>bold" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in page
    found = client.get("/search?q=面粉&locale=zh").get_data(as_text=True)
    assert "<script>alert" not in found and "<img src=x" not in found
    assert "<mark>面粉</mark>" in found or "<mark>面</mark>" in found
