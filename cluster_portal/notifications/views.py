from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt
from django.views.generic import FormView, ListView

from .enums import ESSENTIAL_CATEGORIES, NotificationCategory
from .forms import NotificationPreferencesForm
from .models import Notification
from .reading import (
    email_categories_for,
    notification_list_for_user,
    notification_mark_read,
    preference_set,
    preference_unsubscribe,
)
from .tokens import read_unsubscribe_token


class NotificationListView(LoginRequiredMixin, ListView):
    template_name = "notifications/notification_list.html"
    context_object_name = "notifications"
    paginate_by = 25

    def get_queryset(self):
        return notification_list_for_user(user=self.request.user)


class NotificationOpenView(LoginRequiredMixin, View):
    """Opening a notification marks it read and goes where it points."""

    def get(self, request, pk):
        notification = get_object_or_404(Notification.objects.for_site(request.user), pk=pk)
        notification_mark_read(notification=notification)
        if notification.link and url_has_allowed_host_and_scheme(
            notification.link, allowed_hosts={request.get_host()}
        ):
            return redirect(notification.link)
        return redirect("notifications:list")


class NotificationPreferencesView(LoginRequiredMixin, FormView):
    template_name = "notifications/preferences.html"
    form_class = NotificationPreferencesForm

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["current"] = email_categories_for(self.request.user)
        return kwargs

    def form_valid(self, form):
        for category, enabled in form.cleaned_data.items():
            preference_set(user=self.request.user, category=category, email_enabled=enabled)
        messages.success(self.request, _("Your notification preferences are saved."))
        return redirect("notifications:preferences")


@method_decorator(csrf_exempt, name="dispatch")
class UnsubscribeView(View):
    """One-click unsubscribe that works logged out.

    GET only shows a confirmation button (mail scanners follow links; they must not
    unsubscribe anyone). POST — from that button or from a mail client's RFC 8058 one-click
    request, which carries no CSRF token — switches the category off. The signed token is
    the credential.
    """

    template_name = "notifications/unsubscribe.html"

    def _read(self, token):
        try:
            user_id, category, issued_at = read_unsubscribe_token(token)
        except signing.BadSignature:  # tampered, malformed or expired
            return None
        if category not in NotificationCategory.values or category in ESSENTIAL_CATEGORIES:
            return None
        return user_id, category, issued_at

    def _invalid(self, request):
        return render(request, self.template_name, {"invalid": True}, status=400)

    def get(self, request, token):
        parsed = self._read(token)
        if parsed is None:
            return self._invalid(request)
        category = NotificationCategory(parsed[1])
        return render(request, self.template_name, {"category": category, "token": token})

    def post(self, request, token):
        parsed = self._read(token)
        if parsed is None:
            return self._invalid(request)
        user_id, category, issued_at = parsed
        if not preference_unsubscribe(user_id=user_id, category=category, issued_at_ms=issued_at):
            return self._invalid(request)
        return render(
            request,
            self.template_name,
            {"category": NotificationCategory(category), "done": True},
        )
