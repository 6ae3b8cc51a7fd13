"""Errors a user can read. Services raise them; views turn them into a form error, a
message, or a 4xx page — never a 500."""


class DomainError(Exception):
    """A rule of the portal said no; `str(error)` is a translated sentence for the user."""

    status_code = 400


class NotAllowed(DomainError):
    status_code = 403


class InvalidTransition(DomainError):
    """The object is no longer in a state that allows this (someone else acted first)."""

    status_code = 409


class Conflict(DomainError):
    status_code = 409
