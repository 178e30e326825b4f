"""Oracle driver: import one Flask-CORS fixture module for real and send it
CORS requests through Flask's test client.

stdin (JSON): {"root": directory put on sys.path, "file": the fixture module,
"requests": [{"origin", "path", "preflight", "cookie", "method",
"requestHeaders", "privateNetwork"}]}
stdout (JSON): {"flask_cors": version, "responses": [{"status", "headers": [[name, value]]}]}
or {"error": "..."} when the module cannot be imported here.

The fixture's module-level `app` (or what `create_app()` returns) answers. A
path no route of the fixture serves gets a plain view first, so the
request reaches Flask-CORS the way a real route would. For a preflight
`method` is the Access-Control-Request-Method.
"""

import json

from oracle_driver import job_and_app, send_all


def ensure_route(app, path, n):
    from werkzeug.exceptions import HTTPException

    try:
        app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        app.add_url_rule(path, endpoint=f"oracle_{n}", view_func=lambda **_: "ok", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])


def main():
    loaded = job_and_app()
    if loaded is None:
        return
    job, app = loaded

    for n, p in enumerate(sorted({r["path"] for r in job["requests"]})):
        ensure_route(app, p, n)

    try:
        from importlib.metadata import version

        cors_version = version("Flask-Cors")
    except Exception:  # noqa: BLE001
        cors_version = "unknown"

    client = app.test_client()
    out = send_all(client, job["requests"], lambda resp: resp.headers.items())
    print(json.dumps({"flask_cors": cors_version, "responses": out}))


if __name__ == "__main__":
    main()
