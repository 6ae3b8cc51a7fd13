"""The cluster's seven directional projects, in Polish and English.

Coordinators edit the texts in the admin afterwards; this migration only creates missing
centres (matched by slug) and removes nothing it did not create on the way back.
"""

from django.db import migrations

CENTRES = [
    {
        "slug": "extensive-medical-care",
        "order": 1,
        "name_pl": "Kompleksowa opieka medyczna",
        "name_en": "Extensive Medical Care",
        "summary_pl": "Skoordynowana ścieżka pacjenta od profilaktyki, przez diagnostykę i leczenie, po rehabilitację — wspólnie z wieloma placówkami.",
        "summary_en": "A coordinated patient pathway from prevention through diagnosis and treatment to rehabilitation, shared by many providers.",
    },
    {
        "slug": "pikmed-tech",
        "order": 2,
        "name_pl": "PIKMED Tech",
        "name_en": "PIKMED Tech",
        "summary_pl": "Nowe wyroby medyczne i technologie: od pomysłu w laboratorium, przez prototyp i badania, do wdrożenia w szpitalu.",
        "summary_en": "New medical devices and technologies, from a laboratory idea through prototype and trials to use in hospitals.",
    },
    {
        "slug": "telemedicine",
        "order": 3,
        "name_pl": "Telemedycyna",
        "name_en": "Telemedicine",
        "summary_pl": "Zdalne konsultacje, monitorowanie pacjentów w domu i współpraca specjalistów na odległość.",
        "summary_en": "Remote consultations, home monitoring of patients and specialists working together at a distance.",
    },
    {
        "slug": "ict",
        "order": 4,
        "name_pl": "ICT w ochronie zdrowia",
        "name_en": "ICT",
        "summary_pl": "Systemy informatyczne, wymiana danych medycznych, cyberbezpieczeństwo i analiza danych dla placówek ochrony zdrowia.",
        "summary_en": "Information systems, medical data exchange, cybersecurity and data analysis for healthcare providers.",
    },
    {
        "slug": "risk-management",
        "order": 5,
        "name_pl": "Zarządzanie ryzykiem",
        "name_en": "Risk Management",
        "summary_pl": "Bezpieczeństwo pacjenta, jakość i akredytacja, zapobieganie zdarzeniom niepożądanym i ciągłość działania placówek.",
        "summary_en": "Patient safety, quality and accreditation, preventing adverse events and keeping facilities running.",
    },
    {
        "slug": "polinnovation-med",
        "order": 6,
        "name_pl": "Polinnovation MED",
        "name_en": "Polinnovation MED",
        "summary_pl": "Komercjalizacja polskich innowacji medycznych, współpraca nauki z biznesem i wyjście na rynki zagraniczne.",
        "summary_en": "Bringing Polish medical innovations to market, linking research with business and reaching foreign markets.",
    },
    {
        "slug": "elderly-and-disabled-support",
        "order": 7,
        "name_pl": "Wsparcie osób starszych i z niepełnosprawnościami",
        "name_en": "Support for the elderly and disabled",
        "summary_pl": "Opieka długoterminowa, rozwiązania wspierające samodzielność w domu i dostępność usług zdrowotnych.",
        "summary_en": "Long-term care, solutions that help people live independently at home, and accessible health services.",
    },
]


def create_centres(apps, schema_editor):
    CompetenceCentre = apps.get_model("competence_centres", "CompetenceCentre")
    for centre in CENTRES:
        CompetenceCentre.objects.get_or_create(slug=centre["slug"], defaults=centre)


def remove_centres(apps, schema_editor):
    CompetenceCentre = apps.get_model("competence_centres", "CompetenceCentre")
    CompetenceCentre.objects.filter(
        slug__in=[centre["slug"] for centre in CENTRES], participations__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("competence_centres", "0002_initial")]

    operations = [migrations.RunPython(create_centres, remove_centres)]
