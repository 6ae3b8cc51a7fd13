"""Colleagues of an organisation: invitations, roles, removing and leaving.

An organisation's pages are found among the organisations the user belongs to, so anybody
else's organisation is a 404; inside it, the rules decide (a plain member may look at the
list of colleagues but gets a 403 on every change).
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from cluster_portal.core.errors import Conflict, DomainError

from .. import rules
from ..colleague_forms import InvitationForm, InvitationSignupForm, MembershipRoleForm
from ..enums import MembershipRole
from ..models import Invitation, Organisation
from ..selectors import users_with_address
from ..services.colleagues import (
    MembershipChange,
    invitation_accept,
    invitation_accept_with_new_account,
    invitation_revoke,
    membership_leave,
    membership_remove,
    membership_set_role,
    organisation_invite_member,
)
from ..tokens import read_invitation_token
from ..validators import normalise_email


class _OwnOrganisationMixin(LoginRequiredMixin):
    def get_organisation(self) -> Organisation:
        return get_object_or_404(
            Organisation.objects.filter(memberships__user=self.request.user),
            slug=self.kwargs["slug"],
        )

    def back(self, organisation: Organisation):
        return redirect("members:colleagues", slug=organisation.slug)


def _render_colleagues(request, organisation: Organisation, *, form=None):
    memberships = list(
        organisation.memberships.select_related("user").order_by("role", "user__full_name")
    )
    own = next((m for m in memberships if m.user_id == request.user.pk), None)
    is_admin = own is not None and own.role == MembershipRole.ADMIN
    can_manage = rules.can_manage_colleagues(request.user, organisation)
    invitations = []
    if is_admin:
        invitations = list(
            organisation.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True)
            .select_related("invited_by")
            .order_by("-created_at")
        )
    return render(
        request,
        "members/colleagues.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "own_membership": own,
            "is_admin": is_admin,
            "can_manage": can_manage,
            "invitations": invitations,
            "form": form or (InvitationForm() if can_manage else None),
            "now": timezone.now(),
        },
    )


def _with_withdrawn(text: str, change: MembershipChange, *, own: bool = False) -> str:
    count = change.withdrawn_invitations
    if not count:
        return text
    if own:
        withdrawn = ngettext(
            "The invitation you sent is withdrawn.",
            "The %(count)d invitations you sent are withdrawn.",
            count,
        )
    else:
        withdrawn = ngettext(
            "The invitation they sent is withdrawn.",
            "The %(count)d invitations they sent are withdrawn.",
            count,
        )
    return f"{text} {withdrawn % {'count': count}}"


class ColleaguesView(_OwnOrganisationMixin, View):
    """Members and their roles; admins also see open invitations and the invite form."""

    def get(self, request, slug):
        return _render_colleagues(request, self.get_organisation())


class InvitationCreateView(_OwnOrganisationMixin, View):
    def post(self, request, slug):
        organisation = self.get_organisation()
        if not rules.can_manage_colleagues(request.user, organisation):
            raise PermissionDenied
        form = InvitationForm(request.POST)
        if form.is_valid():
            try:
                invitation = organisation_invite_member(
                    organisation=organisation,
                    actor=request.user,
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    submission_key=form.cleaned_data["submission_key"],
                )
            except Conflict as error:
                form.add_error("email", str(error))
            except DomainError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("The invitation is on its way to %(email)s.") % {"email": invitation.email},
                )
                return self.back(organisation)
        return _render_colleagues(request, organisation, form=form)


class InvitationRevokeView(_OwnOrganisationMixin, View):
    def post(self, request, slug, invitation_id):
        organisation = self.get_organisation()
        if not rules.can_change_colleagues(request.user, organisation):
            raise PermissionDenied
        invitation = get_object_or_404(organisation.invitations, pk=invitation_id)
        try:
            invitation_revoke(invitation=invitation, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("The invitation to %(email)s is withdrawn; its link no longer works.")
                % {"email": invitation.email},
            )
        return self.back(organisation)


class MembershipRoleView(_OwnOrganisationMixin, View):
    def post(self, request, slug, membership_id):
        organisation = self.get_organisation()
        if not rules.can_change_colleagues(request.user, organisation):
            raise PermissionDenied
        membership = get_object_or_404(
            organisation.memberships.select_related("user"), pk=membership_id
        )
        form = MembershipRoleForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose a role."))
            return self.back(organisation)
        try:
            change = membership_set_role(
                membership=membership, actor=request.user, role=form.cleaned_data["role"]
            )
        except DomainError as error:
            messages.error(request, str(error))
        else:
            membership = change.membership
            if membership.role == MembershipRole.ADMIN:
                text = _("%(name)s is now an administrator of %(organisation)s.")
            else:
                text = _("%(name)s is now a member of %(organisation)s without admin rights.")
            messages.success(
                request,
                _with_withdrawn(
                    text % {"name": membership.user, "organisation": organisation.name}, change
                ),
            )
        return self.back(organisation)


class MembershipRemoveView(_OwnOrganisationMixin, View):
    def post(self, request, slug, membership_id):
        organisation = self.get_organisation()
        if not rules.can_change_colleagues(request.user, organisation):
            raise PermissionDenied
        membership = get_object_or_404(
            organisation.memberships.select_related("user"), pk=membership_id
        )
        leaving = membership.user_id == request.user.pk
        try:
            change = membership_remove(membership=membership, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return self.back(organisation)
        if leaving:
            messages.success(
                request,
                _with_withdrawn(
                    _("You left %(organisation)s.") % {"organisation": organisation.name},
                    change,
                    own=True,
                ),
            )
            return redirect("pages:my_cluster")
        messages.success(
            request,
            _with_withdrawn(
                _("%(name)s no longer belongs to %(organisation)s.")
                % {"name": membership.user, "organisation": organisation.name},
                change,
            ),
        )
        return self.back(organisation)


class MembershipLeaveView(_OwnOrganisationMixin, View):
    def post(self, request, slug):
        organisation = self.get_organisation()
        membership = get_object_or_404(organisation.memberships, user=request.user)
        try:
            change = membership_leave(membership=membership, actor=request.user)
        except DomainError as error:
            messages.error(request, str(error))
            return self.back(organisation)
        messages.success(
            request,
            _with_withdrawn(
                _("You left %(organisation)s.") % {"organisation": organisation.name},
                change,
                own=True,
            ),
        )
        return redirect("pages:my_cluster")


class InvitationAcceptView(View):
    """The page an invitation link opens; works logged out.

    Logged in with the invited address: an Accept button. With another address: which
    address the invitation is for, and a way to log out. Logged out: a login link if the
    address has an account, otherwise a short form that creates one and joins at once.
    """

    template_name = "members/invitation_accept.html"

    def dispatch(self, request, *args, **kwargs):
        try:
            invitation_id = read_invitation_token(kwargs["token"])
        except signing.BadSignature:
            return render(request, self.template_name, {"mode": "broken"}, status=400)
        self.invitation = (
            Invitation.objects.select_related("organisation", "invited_by")
            .filter(pk=invitation_id)
            .first()
        )
        if self.invitation is None:
            return render(request, self.template_name, {"mode": "broken"}, status=400)
        closed = self._closed(request)
        if closed is not None:
            return closed
        return super().dispatch(request, *args, **kwargs)

    def _closed(self, request):
        invitation = self.invitation
        reason = rules.invitation_closed_reason(invitation)
        if reason is None:
            return None
        if (
            request.user.is_authenticated
            and invitation.accepted_by_id == request.user.pk
            and invitation.organisation.memberships.filter(user=request.user).exists()
        ):
            messages.info(
                request,
                _("You have already joined %(organisation)s.")
                % {"organisation": invitation.organisation.name},
            )
            return redirect("pages:my_cluster")
        return self._render(request, mode="closed", reason=reason, status=410)

    def _mode(self, request) -> str:
        user, email = request.user, self.invitation.email
        if user.is_authenticated:
            if rules.has_verified_address(user=user, email=email):
                return "accept"
            if normalise_email(user.email) == email.lower():
                return "unverified"
            return "wrong_address"
        if users_with_address(email=email).exists():
            return "login"
        return "signup"

    def _login_url(self, request) -> str:
        return reverse("account_login") + "?" + urlencode({"next": request.path})

    def _render(self, request, *, mode: str, status: int = 200, **context):
        return render(
            request,
            self.template_name,
            {
                "mode": mode,
                "invitation": self.invitation,
                "organisation": self.invitation.organisation,
                "login_url": self._login_url(request),
                **context,
            },
            status=status,
        )

    def get(self, request, token):
        mode = self._mode(request)
        form = InvitationSignupForm(email=self.invitation.email) if mode == "signup" else None
        return self._render(request, mode=mode, form=form)

    def post(self, request, token):
        mode = self._mode(request)
        if mode == "signup":
            return self._sign_up(request)
        if mode == "login":
            # The account may be minutes old, made by the twin of this very form: then the
            # link is used up, which is what a later request is told too.
            self.invitation.refresh_from_db()
            closed = self._closed(request)
            if closed is not None:
                return closed
            return redirect(self._login_url(request))
        try:
            membership = invitation_accept(invitation=self.invitation, user=request.user)
        except DomainError as error:
            return self._render(request, mode=mode, error=str(error), status=error.status_code)
        return self._joined(request, membership)

    def _sign_up(self, request):
        form = InvitationSignupForm(request.POST, email=self.invitation.email)
        if form.is_valid():
            try:
                membership = invitation_accept_with_new_account(
                    invitation=self.invitation,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except DomainError as error:
                # The same form sent twice at once: the twin accepted first. Answer as a
                # later request would, from the invitation as it is now.
                self.invitation.refresh_from_db()
                closed = self._closed(request)
                if closed is not None:
                    return closed
                form.add_error(None, str(error))
            else:
                login(request, membership.user, backend="django.contrib.auth.backends.ModelBackend")
                return self._joined(request, membership)
        return self._render(request, mode="signup", form=form)

    def _joined(self, request, membership):
        if not membership.joined_now:
            # The same Accept sent twice at once: the twin answers as a later click does.
            messages.info(
                request,
                _("You have already joined %(organisation)s.")
                % {"organisation": self.invitation.organisation.name},
            )
            return redirect("pages:my_cluster")
        messages.success(
            request,
            _("Welcome to %(organisation)s. Your role: %(role)s.")
            % {
                "organisation": self.invitation.organisation.name,
                "role": membership.get_role_display(),
            },
        )
        return redirect("pages:my_cluster")
