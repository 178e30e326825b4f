"""Oracle driver: import one Starlette/FastAPI fixture module for real and
send it CORS requests through Starlette's TestClient.

stdin (JSON): {"root": directory put on sys.path, "file": the fixture module,
"requests": [{"origin", "path", "preflight", "cookie", "method", "requestHeaders"}]}
stdout (JSON): {"starlette": version, "responses": [{"status", "headers": [[name, value]]}]}
or {"error": "..."} when the module cannot be imported here.

The fixture's module-level `app` (or what `create_app()` returns) is the ASGI
app; for a preflight `method` is the Access-Control-Request-Method.
"""

import json

from oracle_driver import job_and_app, send_all


def main():
    loaded = job_and_app()
    if loaded is None:
        return
    job, app = loaded

    import starlette
    from starlette.testclient import TestClient

    client = TestClient(app, raise_server_exceptions=False)
    out = send_all(client, job["requests"], lambda resp: resp.headers.multi_items())
    print(json.dumps({"starlette": starlette.__version__, "responses": out}))


if __name__ == "__main__":
    main()
