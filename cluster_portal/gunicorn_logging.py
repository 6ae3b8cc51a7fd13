"""gunicorn's access log, without the secret part of credential links.

The request line of a password-reset or invitation link (and a login page's `?next=` that
points at one) would otherwise be written to the log as it arrived. Used by the Dockerfile's
gunicorn command (`--logger-class`).
"""

from gunicorn.glogging import Logger

from cluster_portal.core.credentials import redact_credentials


class RedactingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        return {
            key: redact_credentials(value) if isinstance(value, str) else value
            for key, value in atoms.items()
        }
