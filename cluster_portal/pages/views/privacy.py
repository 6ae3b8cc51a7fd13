"""The privacy page, and a person's own data: download it, or delete the account."""

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from cluster_portal.core.audit import audit_record
from cluster_portal.core.enums import AuditAction
from cluster_portal.core.errors import DomainError

from ..models import DataExport
from ..privacy import rules
from ..privacy.deletion import account_delete
from ..privacy.export import data_export_request
from ..privacy.forms import AccountDeleteForm
from ..privacy.notice import notice_text, retention_periods

# Confirm it is you (password, or the second factor when on) before a download or a deletion.
reauthenticated = [login_required, reauthentication_required]


class PrivacyNoticeView(TemplateView):
    template_name = "pages/privacy/notice.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(notice=notice_text(), periods=retention_periods(), **kwargs)


class _OwnDataMixin:
    def dispatch(self, request, *args, **kwargs):
        if not rules.can_manage_own_data(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


@method_decorator(login_required, name="dispatch")
class YourDataView(_OwnDataMixin, TemplateView):
    """What the person can do with their data: download it, delete the account."""

    template_name = "pages/privacy/your_data.html"

    def get_context_data(self, **kwargs):
        exports = DataExport.objects.filter(user=self.request.user).order_by("-created_at")[:5]
        return super().get_context_data(exports=exports, **kwargs)


@method_decorator(reauthenticated, name="dispatch")
class DataExportRequestView(_OwnDataMixin, View):
    def post(self, request):
        try:
            data_export_request(user=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _(
                    "Your download is being prepared. It appears below in a moment and stays "
                    "available for a day."
                ),
            )
        return redirect("pages:your_data")


@method_decorator(reauthenticated, name="dispatch")
class DataExportDownloadView(View):
    """The ZIP, to its owner only (404 for anyone else: the address reveals nothing), and a
    410 page once it expired."""

    def get(self, request, token):
        export = get_object_or_404(DataExport, token=token)
        if not rules.can_download_export(request.user, export):
            raise Http404
        if export.is_expired():
            return render(request, "pages/privacy/export_expired.html", status=410)
        if export.status != DataExport.Status.READY or not export.file:
            raise Http404
        audit_record(
            actor=request.user,
            action=AuditAction.DATA_EXPORTED,
            target=request.user,
            detail="downloaded",
        )
        response = FileResponse(
            export.file.open("rb"),
            as_attachment=True,
            filename=f"my-data-{export.created_at:%Y-%m-%d}.zip",
            content_type="application/zip",
        )
        response["Cache-Control"] = "private, no-store"
        return response


@method_decorator(reauthenticated, name="dispatch")
class AccountDeleteView(_OwnDataMixin, View):
    template_name = "pages/privacy/account_delete.html"

    def get(self, request):
        return self._render(AccountDeleteForm(user=request.user))

    def post(self, request):
        form = AccountDeleteForm(request.POST, user=request.user)
        if not form.is_valid():
            return self._render(form, status=400)
        try:
            account_delete(user=request.user, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return self._render(form, status=error.status_code)
        logout(request)
        messages.success(request, _("Your account was deleted. Thank you for being with us."))
        return redirect("home")

    def _render(self, form, status=200):
        return render(self.request, self.template_name, {"form": form}, status=status)
