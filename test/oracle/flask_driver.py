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

import importlib.util
import json
import sys


def load(job):
    sys.path.insert(0, job["root"])
    spec = importlib.util.spec_from_file_location("fixture_app", job["file"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if hasattr(mod, "app"):
        return mod.app
    if hasattr(mod, "create_app"):
        return mod.create_app()
    raise LookupError("the module defines neither `app` nor `create_app`")


def ensure_route(app, path, n):
    from werkzeug.exceptions import HTTPException

    try:
        app.url_map.bind("localhost").match(path, method="GET")
    except HTTPException:
        app.add_url_rule(path, endpoint=f"oracle_{n}", view_func=lambda **_: "ok", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])


def main():
    job = json.load(sys.stdin)
    try:
        app = load(job)
    except Exception as e:  # noqa: BLE001 - reported to the test, which decides
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return

    for n, p in enumerate(sorted({r["path"] for r in job["requests"]})):
        ensure_route(app, p, n)

    try:
        from importlib.metadata import version

        cors_version = version("Flask-Cors")
    except Exception:  # noqa: BLE001
        cors_version = "unknown"

    client = app.test_client()
    out = []
    for r in job["requests"]:
        headers = {"Origin": r["origin"]}
        if r.get("cookie"):
            headers["Cookie"] = "session=oracle"
        if r["preflight"]:
            headers["Access-Control-Request-Method"] = r["method"]
            if r.get("requestHeaders") is not None:
                headers["Access-Control-Request-Headers"] = r["requestHeaders"]
            if r.get("privateNetwork"):
                headers["Access-Control-Request-Private-Network"] = "true"
            resp = client.options(r["path"], headers=headers)
        else:
            resp = client.get(r["path"], headers=headers)
        out.append({"status": resp.status_code, "headers": [[k.lower(), v] for k, v in resp.headers.items()]})
    print(json.dumps({"flask_cors": cors_version, "responses": out}))


if __name__ == "__main__":
    main()
