"""Oracle driver: import one Starlette/FastAPI fixture module for real and
send it CORS requests through Starlette's TestClient.

stdin (JSON): {"root": directory put on sys.path, "file": the fixture module,
"requests": [{"origin", "path", "preflight", "cookie", "method", "requestHeaders"}]}
stdout (JSON): {"starlette": version, "responses": [{"status", "headers": [[name, value]]}]}
or {"error": "..."} when the module cannot be imported here.

The fixture's module-level `app` (or what `create_app()` returns) is the ASGI
app; for a preflight `method` is the Access-Control-Request-Method.
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


def main():
    job = json.load(sys.stdin)
    try:
        app = load(job)
    except Exception as e:  # noqa: BLE001 - reported to the test, which decides
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return

    import starlette
    from starlette.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    out = []
    for r in job["requests"]:
        headers = {"Origin": r["origin"]}
        if r.get("cookie"):
            headers["Cookie"] = "session=oracle"
        if r["preflight"]:
            headers["Access-Control-Request-Method"] = r["method"]
            if r.get("requestHeaders") is not None:
                headers["Access-Control-Request-Headers"] = r["requestHeaders"]
            resp = client.options(r["path"], headers=headers)
        else:
            resp = client.get(r["path"], headers=headers)
        out.append({"status": resp.status_code, "headers": [[k.lower(), v] for k, v in resp.headers.multi_items()]})
    print(json.dumps({"starlette": starlette.__version__, "responses": out}))


if __name__ == "__main__":
    main()
