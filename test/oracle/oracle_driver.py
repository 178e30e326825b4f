"""Shared by the Flask and Starlette oracle drivers: read the job, import
the fixture's app for real, and send each request through the framework's
test client.

A job (JSON on stdin) names "root" (put on sys.path), "file" (the fixture
module) and "requests"; a module that cannot be imported here is reported
as {"error": "..."} on stdout.
"""

import importlib.util
import json
import sys


def load_app(job):
    """The fixture's module-level `app`, or what its `create_app()` returns."""
    sys.path.insert(0, job["root"])
    spec = importlib.util.spec_from_file_location("fixture_app", job["file"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    if hasattr(mod, "app"):
        return mod.app
    if hasattr(mod, "create_app"):
        return mod.create_app()
    raise LookupError("the module defines neither `app` nor `create_app`")


def job_and_app():
    """The job and its app, or None once the import error is printed."""
    job = json.load(sys.stdin)
    try:
        return job, load_app(job)
    except Exception as e:  # noqa: BLE001 - reported to the test, which decides
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return None


def request_headers(r):
    """Origin, a cookie when credentialed; for a preflight `method` is the Access-Control-Request-Method."""
    headers = {"Origin": r["origin"]}
    if r.get("cookie"):
        headers["Cookie"] = "session=oracle"
    if r["preflight"]:
        headers["Access-Control-Request-Method"] = r["method"]
        if r.get("requestHeaders") is not None:
            headers["Access-Control-Request-Headers"] = r["requestHeaders"]
        if r.get("privateNetwork"):
            headers["Access-Control-Request-Private-Network"] = "true"
    return headers


def send_all(client, requests, header_items):
    """A preflight as OPTIONS, any other request as GET; `header_items(resp)` lists every response header, repeats included."""
    out = []
    for r in requests:
        headers = request_headers(r)
        if r["preflight"]:
            resp = client.options(r["path"], headers=headers)
        else:
            resp = client.get(r["path"], headers=headers)
        out.append({"status": resp.status_code, "headers": [[k.lower(), v] for k, v in header_items(resp)]})
    return out
