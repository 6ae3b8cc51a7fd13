"""Event pages: the public calendar and event page, registering and cancelling, "My
events", the calendar files and feeds, the cancel link from the mails and the check-in
page the QR code opens.

Views stay thin: the rules say who may look, the services change state (POST only), and a
DomainError becomes a message or a page that says what happened, never a 500.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from cluster_portal.core.errors import DomainError
from cluster_portal.core.second_factor import has_second_factor, redirect_to_second_factor_setup
from competence_centres.models import CompetenceCentre

from . import rules
from .calendar import event_ics, feed_ics
from .enums import CalendarPeriod, RegistrationStatus
from .forms import CalendarFilterForm, RegistrationForm
from .models import Registration
from .qr import qr_png_data_uri
from .selectors import (
    calendar_centre_choices,
    calendar_months,
    event_detail_public,
    event_for_registration,
    event_list_for_feed,
    event_list_public,
    registration_active_for,
    registration_list_for_user,
    registration_organisations,
)
from .services import registration_cancel, registration_check_in, registration_create
from .tokens import check_in_url, read_cancel_token, read_check_in_token

ICS_CONTENT_TYPE = "text/calendar; charset=utf-8"
FEED_CACHE_SECONDS = 15 * 60


class EventListView(ListView):
    """The calendar: upcoming or past events, filtered by kind, centre and month."""

    template_name = "events/event_list.html"
    context_object_name = "events"
    paginate_by = 20

    def get_queryset(self):
        period = self.request.GET.get("period", "")
        if period not in CalendarPeriod.values:
            period = CalendarPeriod.UPCOMING
        self.form = CalendarFilterForm(
            self.request.GET,
            centres=calendar_centre_choices(),
            months=calendar_months(period=period),
        )
        return event_list_public(**self.form.selected)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selected = self.form.selected
        context.update(
            form=self.form,
            is_past=selected["period"] == CalendarPeriod.PAST,
            show_seats=selected["period"] != CalendarPeriod.PAST,
            is_narrowed=self.form.is_narrowed,
            periods=CalendarPeriod,
        )
        return context


def _render_event(request, event, *, form=None, status=200):
    registration = registration_active_for(user=request.user, event=event)
    organisations = registration_organisations(user=request.user)
    may_attend = rules.may_attend(request.user, event, organisations)
    closed_reason = rules.registration_closed_reason(event)
    if form is None and may_attend and registration is None and not closed_reason:
        form = RegistrationForm(organisations=organisations, members_only=event.is_members_only)
    return render(
        request,
        "events/event_detail.html",
        {
            "event": event,
            "registration": registration,
            "registration_form": form,
            "closed_reason": closed_reason,
            "may_attend": may_attend,
            "can_cancel": registration is not None
            and not rules.cancellation_closed_reason(registration),
            "statuses": RegistrationStatus,
        },
        status=status,
    )


class EventDetailView(View):
    """An event: when and where, seats left, and the person's registration or the button."""

    def get(self, request, slug):
        event = get_object_or_404(event_detail_public(slug=slug))
        return _render_event(request, event)


class RegistrationCreateView(LoginRequiredMixin, View):
    """One click: a seat while there is one, else a place on the waiting list."""

    def post(self, request, slug):
        event = get_object_or_404(event_for_registration(slug=slug))
        organisations = registration_organisations(user=request.user)
        form = RegistrationForm(
            request.POST, organisations=organisations, members_only=event.is_members_only
        )
        # Someone who may not attend gets the service's reason, not a form to fill.
        may_attend = rules.may_attend(request.user, event, organisations)
        if may_attend and not form.is_valid():
            event = get_object_or_404(event_detail_public(slug=slug))
            return _render_event(request, event, form=form, status=400)
        try:
            registration = registration_create(
                event=event,
                user=request.user,
                organisation=form.cleaned_data["organisation"] if may_attend else None,
            )
        except DomainError as error:
            messages.error(request, str(error))
            return redirect(event)
        if registration.status == RegistrationStatus.CONFIRMED:
            messages.success(
                request,
                _(
                    "You are registered for %(event)s. The confirmation, with the calendar "
                    "entry and your check-in code, is on its way to %(email)s."
                )
                % {"event": event.title, "email": request.user.email},
            )
        else:
            messages.warning(
                request,
                _(
                    "%(event)s is full: you are on the waiting list, number %(position)d. "
                    "If a seat frees up, it is yours in turn and we write to you."
                )
                % {"event": event.title, "position": registration.waitlist_position},
            )
        return redirect(event)


def _safe_next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


class RegistrationCancelView(LoginRequiredMixin, View):
    """The person cancels their own registration from "My events" or the event page."""

    def post(self, request, pk):
        # Someone else's registration does not exist for them: 404, as an unknown id.
        registration = get_object_or_404(
            Registration.objects.select_related("event"), pk=pk, user=request.user
        )
        was_waiting = registration.status == RegistrationStatus.WAITLISTED
        try:
            registration_cancel(registration=registration, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            if was_waiting:
                text = _("You left the waiting list of %(event)s.")
            else:
                text = _(
                    "Your registration for %(event)s is cancelled; your seat goes to the "
                    "next in line."
                )
            messages.success(request, text % {"event": registration.event.title})
        return redirect(_safe_next(request, reverse("events:my")))


class RegistrationCancelLinkView(View):
    """The cancel link from the mails: works logged out, for whoever holds it.

    GET only shows what would be cancelled and a button (mail scanners follow links; they
    must not cancel anyone's seat); POST, from that button, cancels. The signed token is
    the credential.
    """

    template_name = "events/cancel_link.html"

    def _registration(self, token):
        try:
            registration_id = read_cancel_token(token)
        except signing.BadSignature:  # tampered or malformed
            return None
        return (
            Registration.objects.select_related("event", "user").filter(pk=registration_id).first()
        )

    def _page(self, request, context, status=200):
        return render(request, self.template_name, context, status=status)

    def get(self, request, token):
        registration = self._registration(token)
        if registration is None:
            return self._page(request, {"invalid": True}, status=400)
        reason = rules.cancellation_closed_reason(registration)
        if reason:
            return self._page(request, {"registration": registration, "closed": reason}, 410)
        return self._page(
            request, {"registration": registration, "token": token, "statuses": RegistrationStatus}
        )

    def post(self, request, token):
        registration = self._registration(token)
        if registration is None:
            return self._page(request, {"invalid": True}, status=400)
        try:
            registration = registration_cancel(registration=registration, via_link=True)
        except DomainError as error:
            return self._page(request, {"registration": registration, "closed": str(error)}, 410)
        return self._page(request, {"registration": registration, "done": True})


class MyEventsView(LoginRequiredMixin, View):
    """The person's registrations: upcoming (status, place in line, check-in QR code, a
    cancel button) and past (whether they came)."""

    def get(self, request):
        upcoming, past = registration_list_for_user(user=request.user)
        for registration in upcoming:
            if registration.status == RegistrationStatus.CONFIRMED:
                # Made here, for its owner: never stored (the QR encodes a credential).
                registration.qr_data_uri = qr_png_data_uri(check_in_url(registration))
            registration.can_cancel = not rules.cancellation_closed_reason(registration)
        return render(
            request,
            "events/my_events.html",
            {"upcoming": upcoming, "past": past, "statuses": RegistrationStatus},
        )


class CheckInView(View):
    """What the QR code opens on a coordinator's phone: who it is, whether they were
    checked in already, and a one-tap button.

    For the cluster office's staff with a second factor. Anybody else gets a 403 before
    the code is even read, and nothing changes.
    """

    template_name = "events/check_in.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not rules.can_check_in(request.user):
            raise PermissionDenied
        if not has_second_factor(request.user):
            return redirect_to_second_factor_setup(request)
        return super().dispatch(request, *args, **kwargs)

    def _registration(self, token) -> Registration:
        try:
            registration_id = read_check_in_token(token)
        except signing.BadSignature:
            return None
        registration = (
            Registration.objects.select_related("event", "user", "organisation", "checked_in_by")
            .filter(pk=registration_id)
            .first()
        )
        if registration is None:
            raise Http404
        return registration

    def _page(self, request, context, status=200):
        return render(
            request, self.template_name, {**context, "statuses": RegistrationStatus}, status=status
        )

    def get(self, request, token):
        registration = self._registration(token)
        if registration is None:
            return self._page(request, {"invalid": True}, status=400)
        return self._page(request, {"registration": registration, "token": token})

    def post(self, request, token):
        registration = self._registration(token)
        if registration is None:
            return self._page(request, {"invalid": True}, status=400)
        try:
            registration, already = registration_check_in(
                registration=registration, actor=request.user
            )
        except DomainError as error:
            return self._page(request, {"registration": registration, "refused": str(error)}, 409)
        return self._page(
            request, {"registration": registration, "checked_in": not already, "already": already}
        )


def _ics_response(content: bytes, *, filename: str, attachment: bool, max_age: int) -> HttpResponse:
    response = HttpResponse(content, content_type=ICS_CONTENT_TYPE)
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Cache-Control"] = f"public, max-age={max_age}"
    return response


class EventIcsView(View):
    def get(self, request, slug):
        event = get_object_or_404(event_detail_public(slug=slug))
        return _ics_response(
            event_ics(event), filename=f"{event.slug}.ics", attachment=True, max_age=300
        )


class EventFeedView(View):
    """All published events, for calendar clients to subscribe to."""

    def get(self, request):
        return _ics_response(
            feed_ics(event_list_for_feed(), name=_("Cluster events")),
            filename="events.ics",
            attachment=False,
            max_age=FEED_CACHE_SECONDS,
        )


class CentreFeedView(View):
    """One competence centre's published events, for calendar clients to subscribe to."""

    def get(self, request, slug):
        centre = get_object_or_404(CompetenceCentre.objects.active(), slug=slug)
        name = _("Cluster events: %(centre)s") % {"centre": centre.name}
        return _ics_response(
            feed_ics(event_list_for_feed(centre=centre), name=name),
            filename=f"events-{centre.slug}.ics",
            attachment=False,
            max_age=FEED_CACHE_SECONDS,
        )
