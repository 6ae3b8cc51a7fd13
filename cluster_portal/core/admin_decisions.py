"""Admin actions that decide something about each selected object, with a message.

The coordinator first sees a confirmation page with the objects and a message field; on
"apply" each object goes through the app's own service, whose refusals (someone decided
first, a transition no longer allowed) become admin messages instead of errors.
"""

from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.db import transaction
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import DomainError


class DecisionForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the organisation's administrators"),
        widget=forms.Textarea(attrs={"rows": 5, "cols": 80}),
        max_length=4000,
        required=False,
        help_text=_("Sent in the e-mail with the decision and kept with the record."),
    )


class DecisionActionsMixin:
    """For a ModelAdmin: `self.decide(...)` implements one decision action."""

    def decide(
        self,
        request,
        queryset,
        *,
        decide_one: Callable[[object, dict], object],
        action: str,
        title: str,
        message_required: bool,
        done_message: Callable[[int], str],
        form_class: type[DecisionForm] = DecisionForm,
    ):
        """`decide_one(obj, cleaned_data)` decides for one object; the form (a DecisionForm,
        or `form_class` with more fields) asks for the message first."""
        form = form_class(request.POST if "apply" in request.POST else None)
        form.fields["message"].required = message_required
        if "apply" in request.POST and form.is_valid():
            message, done = form.cleaned_data["message"], 0
            for obj in queryset:
                try:
                    # The decision and its audit entry commit together, or neither does.
                    with transaction.atomic():
                        decide_one(obj, form.cleaned_data)
                        audit_record(
                            actor=request.user,
                            action=AuditAction.DECISION,
                            target=obj,
                            detail=f"{action}: message" if message else str(action),
                        )
                except DomainError as error:
                    self.message_user(request, str(error), messages.ERROR)
                    continue
                self.log_change(request, obj, f"{title}: {message}")
                done += 1
            if done:
                self.message_user(request, done_message(done), messages.SUCCESS)
            return None
        opts = self.model._meta
        return TemplateResponse(
            request,
            [f"admin/{opts.app_label}/{opts.model_name}/decide.html", "admin/decide.html"],
            {
                **self.admin_site.each_context(request),
                "opts": opts,
                "title": title,
                "action": action,
                "objects": list(queryset),
                "form": form,
            },
        )
