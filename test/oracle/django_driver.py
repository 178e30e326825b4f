"""Oracle driver: load one settings module of a Django fixture for real and ask
django-cors-headers what it answers.

stdin (JSON): {"root": project dir put on sys.path, "file": settings module path,
"module": dotted name or null (single files are loaded by path),
"requests": [{"origin", "path", "preflight", "cookie", "privateNetwork"}]}
stdout (JSON): {"corsheaders": version, "responses": [{"status", "headers": [[name, value]]}]}
or {"error": "..."} when the module cannot be loaded here.

Only the fixture's CORS_* settings (and the middlewares that need no app) are
used; everything else comes from a minimal project with one view.
"""

import importlib
import importlib.util
import json
import sys

from django.http import HttpResponse
from django.urls import path

# Middlewares that run without any installed app or database. Others are
# dropped: they do not touch CORS headers on this view.
SAFE_MIDDLEWARE = {
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.gzip.GZipMiddleware",
}


def load(job):
    sys.path.insert(0, job["root"])
    if job["module"]:
        return importlib.import_module(job["module"])
    spec = importlib.util.spec_from_file_location("fixture_settings", job["file"])
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def main():
    job = json.load(sys.stdin)
    try:
        mod = load(job)
    except Exception as e:  # noqa: BLE001 - reported to the test, which decides
        print(json.dumps({"error": f"{type(e).__name__}: {e}"}))
        return

    cors = {k: getattr(mod, k) for k in dir(mod) if k.startswith("CORS_")}
    if hasattr(mod, "MIDDLEWARE"):
        middleware = [m for m in mod.MIDDLEWARE if m in SAFE_MIDDLEWARE]
    else:
        middleware = ["corsheaders.middleware.CorsMiddleware"]

    from django.conf import settings

    settings.configure(
        DEBUG=False,
        SECRET_KEY="oracle",
        ALLOWED_HOSTS=["*"],
        ROOT_URLCONF=__name__,
        INSTALLED_APPS=["corsheaders"],
        MIDDLEWARE=middleware,
        DATABASES={},
        **cors,
    )
    import django

    django.setup()

    from django.test import Client

    try:
        from importlib.metadata import version

        cors_version = version("django-cors-headers")
    except Exception:  # noqa: BLE001
        cors_version = "unknown"

    client = Client()
    out = []
    for r in job["requests"]:
        extra = {"HTTP_ORIGIN": r["origin"]}
        if r.get("cookie"):
            extra["HTTP_COOKIE"] = "sessionid=oracle"
        if r["preflight"]:
            extra["HTTP_ACCESS_CONTROL_REQUEST_METHOD"] = "GET"
            if r.get("privateNetwork"):
                extra["HTTP_ACCESS_CONTROL_REQUEST_PRIVATE_NETWORK"] = "true"
            resp = client.options(r["path"], **extra)
        else:
            resp = client.get(r["path"], **extra)
        headers = [[k.lower(), v] for k, v in resp.items()]
        out.append({"status": resp.status_code, "headers": headers})
    print(json.dumps({"corsheaders": cors_version, "responses": out}))


def view(request):
    return HttpResponse("ok")


urlpatterns = [path("api/data/", view), path("other/", view)]

if __name__ == "__main__":
    main()
