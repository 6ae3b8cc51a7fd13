"""System checks of the portal's own (`manage.py check`, and at start-up in wsgi/asgi)."""

from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

COLLECTSTATIC_HINT = (
    "Run `python manage.py collectstatic --noinput` with the same settings (STATIC_ROOT) "
    "before starting the server; the Docker image does it when it is built."
)


# A deploy check, not tagged "staticfiles": collectstatic runs that tag's checks first and
# would refuse to run because nothing was collected yet.
@register(deploy=True)
def static_files_collected(app_configs=None, **kwargs) -> list[Error]:
    """portal.E001: the static files storage hashes names through a manifest that
    collectstatic writes; without it every page that links a stylesheet is a server error
    ("Missing staticfiles manifest entry")."""
    storage = storages["staticfiles"]
    if not isinstance(storage, ManifestFilesMixin) or storage.read_manifest() is not None:
        return []
    return [
        Error(
            f"The static files were not collected: {storage.location} has no "
            f"{storage.manifest_name}, so every page would answer with a server error.",
            hint=COLLECTSTATIC_HINT,
            id="portal.E001",
        )
    ]


def refuse_to_start_without_static_files() -> None:
    """Stop a web server's start-up with the check's message, rather than serve a 500 on
    every page (gunicorn then says "Worker failed to boot" with this reason)."""
    errors = static_files_collected()
    if errors:
        raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint} ({errors[0].id})")
