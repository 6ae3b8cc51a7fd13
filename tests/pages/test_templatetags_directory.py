"""cluster_portal/pages/templatetags/directory.py: the directory's facet controls, written in
Python, escape what coordinators and visitors typed and keep each option's state."""

import pytest

from cluster_portal.core.process_memo import forget_all
from members.enums import OrganisationKind
from tests.factories import OrganisationFactory, ParticipationFactory
from tests.helpers import centre, get_html

pytestmark = pytest.mark.django_db


def test_a_centre_name_with_markup_is_shown_as_text_in_the_filter(client):
    ict = centre("ict")
    ict.name_en = 'Health & "Data" <script>alert(1)</script>'
    ict.save()
    forget_all()

    page = get_html(client, f"/en/members/?centre={ict.slug}")

    assert "<script>alert(1)</script>" not in page
    assert (
        f'<option value="{ict.slug}" selected>'
        "Health &amp; &quot;Data&quot; &lt;script&gt;alert(1)&lt;/script&gt; (0)</option>"
    ) in page


def test_kinds_show_their_counts_ticks_and_which_would_list_nobody(client):
    OrganisationFactory(kind=OrganisationKind.UNIVERSITY)
    ParticipationFactory(organisation=OrganisationFactory(kind=OrganisationKind.ENTERPRISE))

    page = get_html(client, "/en/members/?kind=university")

    kinds = [value for value, _label in OrganisationKind.choices]
    university, enterprise, ngo = (
        kinds.index(kind) for kind in ("university", "enterprise", "ngo")
    )
    assert (
        '<li><label class="facet-option"><input type="checkbox" name="kind" value="university"'
        f' id="id_kind_{university}" checked><span class="facet-label">University</span>'
        ' <span class="facet-count">(1)</span></label></li>'
    ) in page
    assert (
        f'value="enterprise" id="id_kind_{enterprise}"><span class="facet-label">Enterprise</span>'
    ) in page
    assert (
        '<label class="facet-option facet-option-none"><input type="checkbox" name="kind"'
        f' value="ngo" id="id_kind_{ngo}">'
    ) in page
    assert '<option value="newest">Newest members first</option>' in page
