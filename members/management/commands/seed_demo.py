"""Fill the database with a believable, entirely fictional cluster for demos and manual testing.

Every row is looked up by a natural key (slug, e-mail, organisation + centre) before it is
written, so the command can be run again at any time: it brings the demo rows back to their
seeded state and never duplicates them. Rows it did not create are left alone.
"""

import functools
import zlib
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cluster_portal.pages.models import NewsPost, SiteSettings
from competence_centres.enums import ParticipationStatus
from competence_centres.models import CentreParticipation, CompetenceCentre
from events.enums import EventAudience, EventKind
from events.models import Event
from members.enums import MembershipRole, OrganisationKind, OrganisationStatus, Region, SizeBand
from members.models import Organisation, OrganisationMembership, User
from members.services import organisation_refresh_search
from members.validators import validate_nip, validate_regon

# Shared by every demo account and printed at the end; this is demo data, not a secret.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105

DEMO_MEMBER_EMAIL = "member@demo.example"
COORDINATOR_EMAIL = "coordinator@demo.example"
SUPERUSER_EMAIL = "admin@demo.example"
COORDINATORS_GROUP = "Coordinators"

WARSAW = ZoneInfo("Europe/Warsaw")

NIP_WEIGHTS = (6, 5, 7, 2, 3, 4, 5, 6, 7)
REGON_WEIGHTS = (8, 9, 2, 3, 4, 5, 6, 7)

# slugify() drops characters without an ASCII decomposition, and "ł" has none.
POLISH_L = str.maketrans({"ł": "l", "Ł": "L"})

Kind = OrganisationKind
Size = SizeBand

SITE_SETTINGS = {
    "cluster_name_pl": "Innowacyjny Klaster Medyczny MedNet",
    "cluster_name_en": "MedNet Innovative Medical Cluster",
    "tagline_pl": "Szpitale, firmy, uczelnie i samorządy razem na rzecz nowoczesnej medycyny",
    "tagline_en": "Hospitals, companies, universities and local government working together "
    "for modern medicine",
    "about_pl": (
        "MedNet łączy placówki ochrony zdrowia, przedsiębiorstwa, uczelnie, instytuty "
        "badawcze, parki naukowo-technologiczne, samorządy oraz instytucje otoczenia biznesu. "
        "To miejsce, w którym lekarze, inżynierowie, naukowcy i menedżerowie poznają się, "
        "dzielą doświadczeniem i wspólnie przygotowują projekty, których żaden z nich nie "
        "udźwignąłby w pojedynkę.\n\n"
        "Razem szukamy finansowania w programach krajowych i funduszach Unii Europejskiej, "
        "organizujemy kongresy, konferencje i zjazdy, a naszą pracę porządkuje siedem centrów "
        "kompetencji: od telemedycyny po wsparcie osób starszych. Zabieramy też głos w sprawach, "
        "od których zależą warunki rozwoju sektora medycznego w Polsce."
    ),
    "about_en": (
        "MedNet brings together healthcare providers, companies, universities, research "
        "institutes, science and technology parks, local authorities and business-support "
        "organisations. It is where clinicians, engineers, researchers and managers meet, share "
        "what they have learned and build projects that none of them could carry alone.\n\n"
        "Together we look for funding in national programmes and EU funds, run congresses, "
        "conferences and conventions, and organise our work in seven competence centres, from "
        "telemedicine to support for older people. We also speak up on the rules and conditions "
        "that shape the medical sector in Poland."
    ),
    "goals_pl": "\n".join(
        [
            "Inicjowanie i prowadzenie wspólnych projektów innowacyjnych w medycynie "
            "i ochronie zdrowia",
            "Łączenie publicznych i niepublicznych placówek medycznych z uczelniami, instytutami "
            "badawczymi i parkami technologicznymi",
            "Pomoc członkom w pozyskiwaniu środków krajowych i unijnych na badania, inwestycje "
            "i wdrożenia",
            "Upowszechnianie nowych procedur, standardów i technologii medycznych",
            "Tworzenie dobrego klimatu dla inwestycji w sektorze medycznym",
            "Reprezentowanie interesów członków wobec administracji publicznej",
        ]
    ),
    "goals_en": "\n".join(
        [
            "Start and run joint innovation projects in medicine and healthcare",
            "Connect public and private healthcare providers with universities, research "
            "institutes and technology parks",
            "Help members secure national and EU funding for research, investment and "
            "implementation",
            "Spread new medical procedures, standards and technologies",
            "Build a good climate for investment in the medical sector",
            "Represent members' interests in dealings with public authorities",
        ]
    ),
    "benefits_pl": "\n".join(
        [
            "Udział we wspólnych projektach klastra i pomoc w ich sfinansowaniu",
            "Realny wpływ na kierunki rozwoju innowacji medycznych",
            "Wymiana wiedzy i doświadczeń podczas kongresów, konferencji i spotkań członków",
            "Praca w jednym lub kilku z siedmiu centrów kompetencji",
            "Współtworzenie warunków, w jakich działa branża medyczna w Polsce",
            "Większa konkurencyjność dzięki partnerom z nauki, biznesu i ochrony zdrowia",
        ]
    ),
    "benefits_en": "\n".join(
        [
            "Take part in joint cluster projects and get help financing them",
            "Have a real say in where medical innovation is heading",
            "Share knowledge and experience at congresses, conferences and member meetings",
            "Work in one or more of the seven competence centres",
            "Help shape the conditions the medical sector works in across Poland",
            "Become more competitive with partners from research, business and healthcare",
        ]
    ),
    "contact_email": "biuro@mednet-klaster.example",
    "contact_phone": "+48 81 555 01 20",
    "address": "ul. Innowacyjna 4, 20-150 Lublin",
}

# What an organisation wrote when it asked to join a centre; one text per centre keeps the
# data readable, and the coordinator screens only need something plausible to show.
CENTRE_MOTIVATIONS = {
    "extensive-medical-care": "Chcemy razem z innymi placówkami uporządkować drogę pacjenta "
    "między szpitalem, przychodnią a rehabilitacją.",
    "pikmed-tech": "Szukamy partnerów do testowania prototypów i do badań, które pozwolą "
    "wprowadzić nowe wyroby do szpitali.",
    "telemedicine": "Chcemy rozwijać zdalne konsultacje i monitorowanie pacjentów z placówkami, "
    "które mają już w tym doświadczenie.",
    "ict": "Zależy nam na wspólnym standardzie wymiany danych i na wymianie doświadczeń "
    "w zakresie bezpieczeństwa systemów.",
    "risk-management": "Chcemy porównywać nasze procedury bezpieczeństwa pacjenta z innymi "
    "i wspólnie przygotowywać się do akredytacji.",
    "polinnovation-med": "Liczymy na kontakty z inwestorami i partnerami zagranicznymi oraz "
    "na pomoc w komercjalizacji wyników badań.",
    "elderly-and-disabled-support": "Pracujemy z seniorami i osobami z niepełnosprawnościami "
    "i chcemy z partnerami testować rozwiązania wspierające ich samodzielność.",
}

# The centres the demo coordinator looks after, so the centre-coordinator screens have data.
COORDINATED_CENTRES = ("telemedicine", "ict")

# Keys: "admin" and "member" are (full name, job title); "centres" become active
# participations, "leads" must be a subset of them, "requests" are pending participations.
# Seeds for NIP/REGON come from the slug, so reordering this list changes nothing.
ORGANISATIONS = [
    {
        "name": "Wojewódzki Szpital Specjalistyczny im. Marii Zawadzkiej w Lublinie",
        "domain": "wss-lublin",
        "kind": Kind.PUBLIC_MEDICAL_FACILITY,
        "region": Region.LUBELSKIE,
        "city": "Lublin",
        "postal_code": "20-718",
        "street": "al. Kraśnicka 112",
        "phone": "+48 81 555 10 00",
        "size_band": Size.LARGE,
        "specialisations": "kardiologia, onkologia, chirurgia naczyniowa, diagnostyka obrazowa",
        "description": "Jeden z największych szpitali regionu, z ponad 700 łóżkami i całodobowym "
        "szpitalnym oddziałem ratunkowym. Rozwija opiekę koordynowaną nad pacjentami "
        "kardiologicznymi i razem z partnerami z klastra testuje telemonitoring po wypisie.",
        "admin": ("Maria Nowak", "Pełnomocniczka dyrektora ds. innowacji"),
        "admin_email": DEMO_MEMBER_EMAIL,
        "member": ("Krzysztof Wójcik", "Kierownik działu zamówień publicznych"),
        "joined_on": date(2015, 3, 16),
        "centres": ("extensive-medical-care", "telemedicine", "risk-management"),
        "leads": ("extensive-medical-care",),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Miejski Szpital Zespolony w Rzeszowie",
        "domain": "msz-rzeszow",
        "kind": Kind.PUBLIC_MEDICAL_FACILITY,
        "region": Region.PODKARPACKIE,
        "city": "Rzeszów",
        "postal_code": "35-241",
        "street": "ul. Szopena 40",
        "phone": "+48 17 555 20 10",
        "size_band": Size.LARGE,
        "specialisations": "chirurgia ogólna, ortopedia, rehabilitacja, geriatria",
        "description": "Szpital miejski obsługujący Rzeszów i okoliczne gminy, z rozbudowanym "
        "oddziałem ortopedii i rehabilitacji. W klastrze szuka partnerów, by skrócić drogę "
        "pacjenta po wszczepieniu endoprotezy i wdrożyć rehabilitację prowadzoną zdalnie.",
        "admin": ("Tomasz Kamiński", "Zastępca dyrektora ds. lecznictwa"),
        "joined_on": date(2017, 6, 5),
        "centres": ("extensive-medical-care", "elderly-and-disabled-support"),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Nadwiślańskie Centrum Onkologii w Płocku",
        "domain": "nco-plock",
        "kind": Kind.PUBLIC_MEDICAL_FACILITY,
        "region": Region.MAZOWIECKIE,
        "city": "Płock",
        "postal_code": "09-400",
        "street": "ul. Medyczna 5",
        "phone": "+48 24 555 30 00",
        "size_band": Size.LARGE,
        "specialisations": "onkologia, radioterapia, medycyna nuklearna, badania kliniczne",
        "description": "Ośrodek leczenia nowotworów dla północno-zachodniego Mazowsza, "
        "z zakładem radioterapii i pracownią medycyny nuklearnej. Bierze udział w badaniach "
        "klinicznych i wspólnie z uczelniami członkowskimi rozwija analizę danych obrazowych.",
        "admin": ("Agnieszka Lewandowska", "Kierowniczka działu projektów"),
        "member": ("Paweł Zając", "Inspektor ochrony danych"),
        "joined_on": date(2018, 2, 20),
        "centres": ("ict", "pikmed-tech"),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Podlaski Szpital Dziecięcy w Białymstoku",
        "domain": "psd-bialystok",
        "kind": Kind.PUBLIC_MEDICAL_FACILITY,
        "region": Region.PODLASKIE,
        "city": "Białystok",
        "postal_code": "15-274",
        "street": "ul. Wołodyjowskiego 12",
        "phone": "+48 85 555 40 40",
        "size_band": Size.MEDIUM,
        "specialisations": "pediatria, neonatologia, chirurgia dziecięca, telekonsultacje",
        "description": "Specjalistyczny szpital dla dzieci z całego województwa podlaskiego. "
        "Prowadzi poradnię telekonsultacyjną dla małych szpitali powiatowych i chce ją "
        "rozszerzyć o zdalne monitorowanie wcześniaków po wypisie do domu.",
        "admin": ("Katarzyna Dąbrowska", "Koordynatorka ds. rozwoju"),
        "joined_on": date(2019, 9, 9),
        "centres": ("telemedicine", "extensive-medical-care"),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Centrum Medyczne Lubmed Plus sp. z o.o.",
        "domain": "lubmed-plus",
        "kind": Kind.NON_PUBLIC_MEDICAL_FACILITY,
        "region": Region.LUBELSKIE,
        "city": "Lublin",
        "postal_code": "20-601",
        "street": "ul. Głęboka 31",
        "phone": "+48 81 555 11 22",
        "size_band": Size.MEDIUM,
        "specialisations": "podstawowa opieka zdrowotna, kardiologia, diagnostyka laboratoryjna",
        "description": "Sieć czterech przychodni w Lublinie i okolicach, pod której opieką jest "
        "ponad 40 tysięcy pacjentów. Od kilku lat prowadzi program opieki koordynowanej dla "
        "osób z chorobami przewlekłymi i dzieli się tym doświadczeniem z innymi członkami.",
        "admin": ("Magdalena Szymańska", "Prezeska zarządu"),
        "member": ("Jakub Woźniak", "Kierownik działu IT"),
        "joined_on": date(2016, 4, 11),
        "centres": ("extensive-medical-care", "ict"),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Przychodnia Rodzinna Pod Lipami s.c.",
        "domain": "podlipami-zamosc",
        "kind": Kind.NON_PUBLIC_MEDICAL_FACILITY,
        "region": Region.LUBELSKIE,
        "city": "Zamość",
        "postal_code": "22-400",
        "street": "ul. Lipowa 7",
        "phone": "+48 84 555 12 34",
        "size_band": Size.SMALL,
        "specialisations": "medycyna rodzinna, pediatria, profilaktyka",
        "description": "Niewielka przychodnia rodzinna w Zamościu prowadzona przez dwoje lekarzy. "
        "Dołączyła do klastra, by sprawdzić w praktyce teleporady i zdalne monitorowanie "
        "pacjentów z nadciśnieniem.",
        "admin": ("Ewa Kozłowska", "Lekarka, współwłaścicielka"),
        "joined_on": date(2021, 1, 18),
        "centres": ("telemedicine",),
        "regon": True,
        "is_public": False,
    },
    {
        "name": "Klinika Okulistyczna Oculus Nova sp. z o.o.",
        "domain": "oculus-nova",
        "kind": Kind.NON_PUBLIC_MEDICAL_FACILITY,
        "region": Region.MALOPOLSKIE,
        "city": "Kraków",
        "postal_code": "31-048",
        "street": "ul. Józefińska 14",
        "phone": "+48 12 555 50 60",
        "size_band": Size.SMALL,
        "specialisations": "okulistyka, chirurgia zaćmy, diagnostyka siatkówki",
        "description": "Prywatna klinika okulistyczna, w której wykonuje się operacje zaćmy "
        "i leczy choroby siatkówki. Wspólnie z firmami z klastra testuje oprogramowanie "
        "do automatycznej oceny zdjęć dna oka.",
        "admin": ("Michał Jankowski", "Dyrektor medyczny"),
        "member": ("Aleksandra Mazur", "Koordynatorka badań klinicznych"),
        "joined_on": date(2019, 5, 27),
        "centres": ("pikmed-tech", "polinnovation-med"),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Centrum Opieki Senioralnej Złota Jesień sp. z o.o.",
        "domain": "zlota-jesien",
        "kind": Kind.NON_PUBLIC_MEDICAL_FACILITY,
        "region": Region.WIELKOPOLSKIE,
        "city": "Poznań",
        "postal_code": "60-101",
        "street": "ul. Ogrodowa 18",
        "phone": "+48 61 555 70 70",
        "size_band": Size.MEDIUM,
        "specialisations": "opieka długoterminowa, rehabilitacja geriatryczna, opieka paliatywna",
        "description": "Prowadzi zakład opiekuńczo-leczniczy i dzienny dom opieki dla seniorów "
        "w Poznaniu. Szuka w klastrze partnerów do wdrożenia czujników upadku i przypomnień "
        "o lekach dla podopiecznych, którzy mieszkają samodzielnie.",
        "admin": ("Barbara Wojciechowska", "Dyrektorka ośrodka"),
        "joined_on": date(2020, 10, 5),
        "centres": ("elderly-and-disabled-support", "extensive-medical-care"),
        "leads": ("elderly-and-disabled-support",),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Lumeno Optics sp. z o.o.",
        "domain": "lumeno",
        "kind": Kind.ENTERPRISE,
        "region": Region.LUBELSKIE,
        "city": "Świdnik",
        "postal_code": "21-040",
        "street": "ul. Fabryczna 22",
        "phone": "+48 81 555 14 40",
        "size_band": Size.SMALL,
        "specialisations": "optyka, czujniki światłowodowe, diagnostyka in vitro",
        "description": "Spółka technologiczna, która projektuje czujniki optyczne do szybkiego "
        "wykrywania markerów stanu zapalnego. Prototypy powstały razem z uczelnią członkowską, "
        "a badania walidacyjne trwają w szpitalach klastra.",
        "admin": ("Joanna Krawczyk", "Współzałożycielka, dyrektorka ds. badań"),
        "member": ("Marcin Kaczmarek", "Inżynier rozwoju produktu"),
        "joined_on": date(2018, 11, 12),
        "centres": ("pikmed-tech", "polinnovation-med"),
        "leads": ("pikmed-tech",),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Pulsivo sp. z o.o.",
        "domain": "pulsivo",
        "kind": Kind.ENTERPRISE,
        "region": Region.MAZOWIECKIE,
        "city": "Warszawa",
        "postal_code": "02-677",
        "street": "ul. Postępu 21",
        "phone": "+48 22 555 80 80",
        "size_band": Size.MEDIUM,
        "specialisations": "telemonitoring EKG, urządzenia noszone, analiza sygnałów",
        "description": "Dostarcza szpitalom i przychodniom usługę zdalnego monitorowania EKG "
        "z całodobową pracownią opisową. W klastrze rozwija z partnerami program opieki "
        "nad pacjentami, którzy po zawale wracają do domu.",
        "admin": ("Rafał Grabowski", "Dyrektor ds. współpracy z placówkami"),
        "member": ("Natalia Pawlak", "Specjalistka ds. wdrożeń"),
        "joined_on": date(2017, 3, 1),
        "centres": ("telemedicine", "ict"),
        "leads": ("telemedicine",),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Kodmed Systemy IT S.A.",
        "domain": "kodmed",
        "kind": Kind.ENTERPRISE,
        "region": Region.SLASKIE,
        "city": "Katowice",
        "postal_code": "40-028",
        "street": "ul. Sokolska 33",
        "phone": "+48 32 555 90 00",
        "size_band": Size.LARGE,
        "specialisations": "systemy szpitalne, integracja danych, HL7 FHIR, cyberbezpieczeństwo",
        "description": "Producent oprogramowania do zarządzania szpitalem, z którego korzysta "
        "kilkadziesiąt placówek w południowej Polsce. Koordynuje w klastrze prace nad wspólnym "
        "sposobem wymiany danych między systemami członków.",
        "admin": ("Łukasz Michalski", "Architekt rozwiązań"),
        "member": ("Monika Król", "Kierowniczka projektów wdrożeniowych"),
        "joined_on": date(2016, 9, 19),
        "centres": ("ict", "risk-management"),
        "leads": ("ict",),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Radiognoza sp. z o.o.",
        "domain": "radiognoza",
        "kind": Kind.ENTERPRISE,
        "region": Region.POMORSKIE,
        "city": "Gdańsk",
        "postal_code": "80-309",
        "street": "al. Grunwaldzka 410",
        "phone": "+48 58 555 21 21",
        "size_band": Size.MICRO,
        "specialisations": "sztuczna inteligencja, diagnostyka obrazowa, radiologia",
        "description": "Start-up rozwijający algorytmy, które pomagają radiologom wychwytywać "
        "zmiany w tomografii płuc. Narzędzie jest sprawdzane na zanonimizowanych badaniach "
        "z dwóch szpitali członkowskich.",
        "admin": ("Karolina Wieczorek", "Prezeska zarządu"),
        "joined_on": date(2022, 4, 4),
        "centres": ("pikmed-tech", "ict"),
        "requests": ("telemedicine",),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Steriko Serwis sp. z o.o.",
        "domain": "steriko",
        "kind": Kind.ENTERPRISE,
        "region": Region.PODKARPACKIE,
        "city": "Rzeszów",
        "postal_code": "35-206",
        "street": "ul. Przemysłowa 8",
        "phone": "+48 17 555 33 44",
        "size_band": Size.SMALL,
        "specialisations": "sterylizacja, serwis aparatury medycznej, logistyka szpitalna",
        "description": "Sterylizuje narzędzia chirurgiczne i serwisuje aparaturę medyczną "
        "dla szpitali z Podkarpacia. Ma własną centralną sterylizatornię i transport "
        "do odbioru narzędzi z bloków operacyjnych.",
        "admin": ("Grzegorz Wróbel", "Prezes zarządu"),
        "joined_on": date(2018, 6, 1),
        "status": OrganisationStatus.SUSPENDED,
        "decided_on": date(2026, 9, 14),
        "decision_message": "Członkostwo zawieszone uchwałą zarządu klastra do czasu "
        "uregulowania zaległych składek członkowskich.",
        "centres": ("risk-management",),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Sensiva Wearables sp. z o.o.",
        "domain": "sensiva",
        "kind": Kind.ENTERPRISE,
        "region": Region.DOLNOSLASKIE,
        "city": "Wrocław",
        "postal_code": "50-340",
        "street": "ul. Sienkiewicza 30",
        "phone": "+48 71 555 61 61",
        "size_band": Size.MICRO,
        "specialisations": "urządzenia noszone, rehabilitacja, analiza ruchu",
        "description": "Młoda firma budująca opaski, które mierzą zakres ruchu pacjentów "
        "ćwiczących w domu. Chce przystąpić do klastra, żeby przeprowadzić pierwsze badania "
        "z pacjentami w placówkach członkowskich.",
        "admin": ("Dawid Mazurek", "Założyciel i prezes zarządu"),
        "status": OrganisationStatus.APPLIED,
        "krs": True,
    },
    {
        "name": "Baltmed Devices UAB",
        "domain": "baltmed",
        "kind": Kind.ENTERPRISE,
        "region": Region.ABROAD,
        "country": "LT",
        "city": "Kaunas",
        "postal_code": "LT-44249",
        "street": "Savanorių pr. 178",
        "phone": "+370 37 555 120",
        "size_band": Size.SMALL,
        "specialisations": "jednorazowe wyroby medyczne, cewniki, eksport",
        "description": "Litewski producent jednorazowych wyrobów medycznych, który dostarcza "
        "cewniki i zestawy zabiegowe do szpitali w krajach bałtyckich i w Polsce. Przez klaster "
        "szuka polskich partnerów do dystrybucji i wspólnych badań.",
        "admin": ("Rūta Kazlauskienė", "Head of Business Development"),
        "admin_language": "en",
        "joined_on": date(2023, 2, 13),
        "centres": ("polinnovation-med",),
    },
    {
        "name": "Protezja 3D sp. z o.o.",
        "domain": "protezja3d",
        "kind": Kind.ENTERPRISE,
        "region": Region.LODZKIE,
        "city": "Łódź",
        "postal_code": "90-365",
        "street": "ul. Piotrkowska 220",
        "phone": "+48 42 555 72 72",
        "size_band": Size.SMALL,
        "specialisations": "druk 3D, ortezy, protezy, modelowanie przedoperacyjne",
        "description": "Projektuje i drukuje w 3D indywidualne ortezy oraz modele anatomiczne, "
        "na których chirurdzy planują trudne operacje. Z instytutem badawczym z klastra pracuje "
        "nad nowymi biomateriałami do druku.",
        "admin": ("Adrian Górski", "Dyrektor operacyjny"),
        "joined_on": date(2020, 6, 22),
        "centres": ("pikmed-tech", "elderly-and-disabled-support"),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Akademia Medyczna Ziemi Lubelskiej",
        "domain": "amzl",
        "kind": Kind.UNIVERSITY,
        "region": Region.LUBELSKIE,
        "city": "Lublin",
        "postal_code": "20-033",
        "street": "al. Akademicka 25",
        "phone": "+48 81 555 00 10",
        "size_band": Size.LARGE,
        "specialisations": "nauki medyczne, farmacja, zdrowie publiczne, symulacja medyczna",
        "description": "Uczelnia kształcąca lekarzy, farmaceutów i pielęgniarki, z własnym "
        "centrum symulacji medycznej. Wspólnie z samorządem miasta zainicjowała powstanie "
        "klastra i do dziś wspiera jego prace badawcze.",
        "admin": ("Andrzej Sikora", "Prorektor ds. nauki"),
        "member": ("Zofia Baran", "Kierowniczka centrum transferu technologii"),
        "joined_on": date(2014, 1, 28),
        "centres": ("pikmed-tech", "polinnovation-med", "extensive-medical-care"),
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Uczelnia Techniczno-Medyczna w Katowicach",
        "domain": "utm-katowice",
        "kind": Kind.UNIVERSITY,
        "region": Region.SLASKIE,
        "city": "Katowice",
        "postal_code": "40-555",
        "street": "ul. Akademicka 2",
        "phone": "+48 32 555 40 00",
        "size_band": Size.LARGE,
        "specialisations": "inżynieria biomedyczna, informatyka medyczna, robotyka",
        "description": "Uczelnia techniczna z wydziałem inżynierii biomedycznej i laboratorium "
        "robotyki rehabilitacyjnej. Studenci i doktoranci realizują w klastrze projekty "
        "zgłaszane przez szpitale i firmy.",
        "admin": ("Henryk Adamczyk", "Dziekan Wydziału Inżynierii Biomedycznej"),
        "joined_on": date(2016, 11, 7),
        "centres": ("ict", "elderly-and-disabled-support", "pikmed-tech"),
        "regon": True,
    },
    {
        "name": "Warszawska Wyższa Szkoła Zdrowia i Zarządzania",
        "domain": "wwszz",
        "kind": Kind.UNIVERSITY,
        "region": Region.MAZOWIECKIE,
        "city": "Warszawa",
        "postal_code": "01-234",
        "street": "ul. Wolska 88",
        "phone": "+48 22 555 44 10",
        "size_band": Size.MEDIUM,
        "specialisations": "zarządzanie w ochronie zdrowia, zdrowie publiczne, akredytacja",
        "description": "Niepubliczna uczelnia kształcąca menedżerów ochrony zdrowia "
        "i specjalistów ds. jakości. Jej wykładowcy prowadzą dla członków klastra szkolenia "
        "z zarządzania ryzykiem i przygotowania do akredytacji.",
        "admin": ("Elżbieta Kubiak", "Prorektorka ds. współpracy z otoczeniem"),
        "joined_on": date(2019, 3, 4),
        "centres": ("risk-management", "extensive-medical-care"),
        "leads": ("risk-management",),
        "regon": True,
    },
    {
        "name": "Centrum Badań Klinicznych i Translacyjnych w Warszawie",
        "domain": "cbkt",
        "kind": Kind.RESEARCH_INSTITUTE,
        "region": Region.MAZOWIECKIE,
        "city": "Warszawa",
        "postal_code": "02-097",
        "street": "ul. Badawcza 3",
        "phone": "+48 22 555 66 00",
        "size_band": Size.MEDIUM,
        "specialisations": "badania kliniczne, biobankowanie, biostatystyka",
        "description": "Instytut badawczy prowadzący wczesne fazy badań klinicznych i biobank "
        "materiału biologicznego. Pomaga członkom klastra tak zaplanować badania nowych "
        "wyrobów medycznych, by spełniały wymogi rejestracyjne.",
        "admin": ("Marek Pietrzak", "Zastępca dyrektora ds. naukowych"),
        "member": ("Julia Jaworska", "Specjalistka ds. grantów"),
        "joined_on": date(2017, 10, 16),
        "centres": ("pikmed-tech", "polinnovation-med"),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Instytut Biomateriałów i Inżynierii Tkankowej w Łodzi",
        "domain": "ibit-lodz",
        "kind": Kind.RESEARCH_INSTITUTE,
        "region": Region.LODZKIE,
        "city": "Łódź",
        "postal_code": "93-232",
        "street": "ul. Lodowa 106",
        "phone": "+48 42 555 30 30",
        "size_band": Size.MEDIUM,
        "specialisations": "biomateriały, inżynieria tkankowa, badania biozgodności",
        "description": "Instytut zajmujący się materiałami do implantów i opatrunków oraz "
        "badaniem ich zgodności biologicznej. Udostępnia swoje laboratoria firmom z klastra, "
        "które przygotowują nowe wyroby do certyfikacji.",
        "admin": ("Stanisław Dudek", "Kierownik Laboratorium Biozgodności"),
        "joined_on": date(2018, 5, 14),
        "centres": ("pikmed-tech",),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Park Technologiczny Dolina Wieprza",
        "domain": "dolina-wieprza",
        "kind": Kind.TECHNOLOGY_PARK,
        "region": Region.LUBELSKIE,
        "city": "Świdnik",
        "postal_code": "21-045",
        "street": "ul. Technologiczna 1",
        "phone": "+48 81 555 19 19",
        "size_band": Size.SMALL,
        "specialisations": "inkubacja start-upów, laboratoria, przestrzeń biurowa",
        "description": "Park naukowo-technologiczny z inkubatorem dla firm z branży medycznej "
        "i laboratoriami do wynajęcia. Pomaga młodym spółkom z klastra znaleźć pierwsze "
        "biuro, sprzęt i inwestorów.",
        "admin": ("Beata Czarnecka", "Dyrektorka parku"),
        "joined_on": date(2015, 7, 1),
        "centres": ("polinnovation-med", "pikmed-tech"),
        "leads": ("polinnovation-med",),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Odrzański Park Technologii Medycznych",
        "domain": "optm-wroclaw",
        "kind": Kind.TECHNOLOGY_PARK,
        "region": Region.DOLNOSLASKIE,
        "city": "Wrocław",
        "postal_code": "54-066",
        "street": "ul. Muchoborska 18",
        "phone": "+48 71 555 18 18",
        "size_band": Size.SMALL,
        "specialisations": "prototypowanie, inkubacja, doradztwo regulacyjne",
        "description": "Park technologiczny z pracownią prototypowania i zespołem doradców "
        "ds. certyfikacji wyrobów medycznych. Razem z klastrem organizuje dni otwarte "
        "dla start-upów z Dolnego Śląska.",
        "admin": ("Wojciech Sadowski", "Kierownik inkubatora"),
        "joined_on": date(2021, 5, 10),
        "centres": ("pikmed-tech", "polinnovation-med"),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Gmina Miejska Wierzbinów",
        "domain": "wierzbinow",
        "kind": Kind.LOCAL_GOVERNMENT,
        "region": Region.LUBELSKIE,
        "city": "Wierzbinów",
        "postal_code": "22-150",
        "street": "pl. Ratuszowy 1",
        "phone": "+48 82 555 01 01",
        "size_band": Size.MEDIUM,
        "specialisations": "zdrowie publiczne, profilaktyka, polityka senioralna",
        "description": "Gmina miejska, która finansuje programy profilaktyczne dla mieszkańców "
        "i prowadzi miejską teleopiekę dla seniorów. Członkostwo w klastrze pomaga jej "
        "łączyć te programy z ofertą szpitali i firm.",
        "admin": ("Renata Jabłońska", "Naczelniczka Wydziału Zdrowia i Spraw Społecznych"),
        "joined_on": date(2016, 2, 15),
        "centres": ("elderly-and-disabled-support", "telemedicine"),
        "requests": ("ict",),
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Powiat Nadbużański",
        "domain": "powiat-nadbuzanski",
        "kind": Kind.LOCAL_GOVERNMENT,
        "region": Region.PODLASKIE,
        "city": "Bugowo",
        "postal_code": "17-312",
        "street": "ul. 3 Maja 10",
        "phone": "+48 85 555 77 00",
        "size_band": Size.MEDIUM,
        "specialisations": "szpitalnictwo powiatowe, transport sanitarny, zdrowie publiczne",
        "description": "Powiat prowadzi szpital powiatowy i dwie przychodnie. W klastrze szuka "
        "sposobów, by mieszkańcy mniejszych miejscowości szybciej trafiali do specjalistów.",
        "admin": ("Zbigniew Malinowski", "Członek zarządu powiatu"),
        "joined_on": date(2020, 1, 20),
        "centres": ("telemedicine", "extensive-medical-care"),
        "regon": True,
    },
    {
        "name": "Regionalna Izba Gospodarcza Ochrony Zdrowia",
        "domain": "rigoz",
        "kind": Kind.BUSINESS_SUPPORT,
        "region": Region.SLASKIE,
        "city": "Katowice",
        "postal_code": "40-101",
        "street": "ul. Mickiewicza 29",
        "phone": "+48 32 555 12 12",
        "size_band": Size.SMALL,
        "specialisations": "doradztwo, szkolenia, reprezentowanie przedsiębiorców",
        "description": "Samorząd gospodarczy zrzeszający firmy z rynku usług medycznych. "
        "Reprezentuje przedsiębiorców wobec administracji i razem z klastrem prowadzi szkolenia "
        "z zamówień publicznych w ochronie zdrowia.",
        "admin": ("Iwona Sobczak", "Dyrektorka biura izby"),
        "joined_on": date(2017, 1, 9),
        "centres": ("risk-management", "polinnovation-med"),
        "krs": True,
        "regon": True,
        "contact_is_public": True,
    },
    {
        "name": "Agencja Transferu Technologii Innomed sp. z o.o.",
        "domain": "innomed-att",
        "kind": Kind.BUSINESS_SUPPORT,
        "region": Region.WIELKOPOLSKIE,
        "city": "Poznań",
        "postal_code": "61-131",
        "street": "ul. Garbary 95",
        "phone": "+48 61 555 95 95",
        "size_band": Size.SMALL,
        "specialisations": "transfer technologii, fundusze europejskie, własność intelektualna",
        "description": "Doradza uczelniom i firmom w komercjalizacji wyników badań, od ochrony "
        "patentowej po wybór modelu licencji. Pomaga członkom klastra przygotowywać wnioski "
        "o dofinansowanie ze środków krajowych i unijnych.",
        "admin": ("Sebastian Kwiatkowski", "Prezes zarządu"),
        "member": ("Paulina Stępień", "Konsultantka ds. funduszy europejskich"),
        "joined_on": date(2018, 8, 27),
        "centres": ("polinnovation-med",),
        "krs": True,
        "regon": True,
    },
    {
        "name": "Fundacja Zdrowe Serce Lubelszczyzny",
        "domain": "zdrowe-serce",
        "kind": Kind.NGO,
        "region": Region.LUBELSKIE,
        "city": "Lublin",
        "postal_code": "20-400",
        "street": "ul. Narutowicza 45",
        "phone": "+48 81 555 45 45",
        "size_band": Size.MICRO,
        "specialisations": "profilaktyka chorób serca, edukacja pacjentów, rehabilitacja "
        "kardiologiczna",
        "description": "Fundacja prowadzi bezpłatne badania przesiewowe i warsztaty dla osób "
        "z chorobami serca. Wnosi do klastra perspektywę pacjentów i pomaga rekrutować "
        "uczestników programów profilaktycznych.",
        "admin": ("Halina Witkowska", "Prezeska fundacji"),
        "joined_on": date(2019, 11, 25),
        "centres": ("extensive-medical-care",),
        "krs": True,
        "contact_is_public": True,
    },
    {
        "name": "Stowarzyszenie Pacjentów Przewlekle Chorych Ramię w Ramię",
        "domain": "ramiewramie",
        "kind": Kind.NGO,
        "region": Region.POMORSKIE,
        "city": "Gdańsk",
        "postal_code": "80-244",
        "street": "ul. Partyzantów 14",
        "phone": "+48 58 555 14 14",
        "size_band": Size.MICRO,
        "specialisations": "rzecznictwo pacjentów, choroby przewlekłe, wsparcie opiekunów",
        "description": "Stowarzyszenie zrzesza osoby z chorobami przewlekłymi i ich opiekunów "
        "z Pomorza. Chce przystąpić do klastra, by razem z placówkami tworzyć rozwiązania, "
        "które ułatwią leczenie w domu.",
        "admin": ("Danuta Ostrowska", "Przewodnicząca zarządu"),
        "status": OrganisationStatus.APPLIED,
        "krs": True,
    },
    {
        "name": "Kancelaria Prawa Medycznego Lisowski i Partnerzy",
        "domain": "lisowski-legal",
        "kind": Kind.OTHER,
        "region": Region.MAZOWIECKIE,
        "city": "Warszawa",
        "postal_code": "00-110",
        "street": "ul. Marszałkowska 140",
        "phone": "+48 22 555 14 00",
        "size_band": Size.SMALL,
        "specialisations": "prawo medyczne, ochrona danych, regulacje wyrobów medycznych",
        "description": "Kancelaria zajmująca się prawem medycznym, ochroną danych pacjentów "
        "i przepisami o wyrobach medycznych. Wspiera członków klastra przy umowach "
        "konsorcjalnych i umowach na badania kliniczne.",
        "admin": ("Filip Lisowski", "Radca prawny, partner zarządzający"),
        "joined_on": date(2022, 9, 12),
        "centres": ("risk-management",),
        "krs": True,
        "is_public": False,
    },
]

# The demo member also belongs to a second organisation, to exercise the organisation switcher.
DEMO_MEMBER_SECOND_ORGANISATION = "Fundacja Zdrowe Serce Lubelszczyzny"

# days_from_now, start and end as local (Warsaw) wall-clock times; multi-day events add
# "days" to the end date.
EVENTS = [
    {
        "slug": "warsztaty-wspolny-wniosek-o-dofinansowanie",
        "kind": EventKind.WORKSHOP,
        "days_from_now": 10,
        "start": time(9, 30),
        "end": time(15, 30),
        "title_pl": "Warsztaty: jak przygotować wspólny wniosek o dofinansowanie",
        "title_en": "Workshop: preparing a joint funding application",
        "summary_pl": "Praktyczne zajęcia dla zespołów, które planują złożyć wniosek "
        "konsorcjalny do programu krajowego lub unijnego.",
        "summary_en": "A hands-on session for teams planning a consortium application to a "
        "national or EU programme.",
        "description_pl": "Na przykładzie prawdziwych kart oceny przejdziemy przez wszystkie "
        "części wniosku: opis problemu, podział zadań między partnerami, budżet i wskaźniki. "
        "Każdy zespół wyjdzie z planem pracy nad własnym projektem.\n\n"
        "Zajęcia poprowadzą konsultanci z agencji transferu technologii działającej w klastrze. "
        "Liczba miejsc jest ograniczona, pierwszeństwo mają zespoły złożone z co najmniej "
        "dwóch organizacji członkowskich.",
        "description_en": "Using real assessment sheets, we will go through every part of an "
        "application: the problem statement, how tasks are split between partners, the budget "
        "and the indicators. Each team leaves with a work plan for its own project.\n\n"
        "The session is run by consultants from the technology-transfer agency in the "
        "cluster. Places are limited; teams made up of at least two member organisations "
        "come first.",
        "venue": "Biuro klastra MedNet, sala A",
        "city": "Lublin",
        "capacity": 25,
        "audience": EventAudience.MEMBERS,
        "centres": ("polinnovation-med", "pikmed-tech"),
    },
    {
        "slug": "konferencja-telemedycyna-w-szpitalu-powiatowym",
        "kind": EventKind.CONFERENCE,
        "days_from_now": 25,
        "start": time(9, 0),
        "end": time(17, 0),
        "title_pl": "Telemedycyna w codziennej pracy szpitala powiatowego",
        "title_en": "Telemedicine in the everyday work of a county hospital",
        "summary_pl": "Konferencja o tym, jak zdalne konsultacje i telemonitoring sprawdzają "
        "się w mniejszych szpitalach: wyniki, koszty i pułapki.",
        "summary_en": "A conference on how remote consultations and home monitoring work in "
        "smaller hospitals: results, costs and pitfalls.",
        "description_pl": "Dyrektorzy szpitali, lekarze i dostawcy technologii opowiedzą, "
        "co udało się wdrożyć, ile to kosztowało i czego by dziś nie powtórzyli. Osobny "
        "panel poświęcimy rozliczaniu świadczeń udzielanych na odległość.\n\n"
        "Po południu odbędą się sesje przy stolikach, na których członkowie centrum "
        "kompetencji Telemedycyna przedstawią projekty szukające partnerów.",
        "description_en": "Hospital directors, doctors and technology suppliers will talk "
        "about what they managed to put in place, what it cost and what they would not do "
        "again. A separate panel covers how remote services are reimbursed.\n\n"
        "In the afternoon, members of the Telemedicine competence centre will present "
        "projects that are looking for partners at round-table sessions.",
        "venue": "Centrum Badań Klinicznych i Translacyjnych, aula główna",
        "city": "Warszawa",
        "capacity": 200,
        "audience": EventAudience.PUBLIC,
        "centres": ("telemedicine", "ict"),
    },
    {
        "slug": "webinar-cyberbezpieczenstwo-w-przychodni",
        "kind": EventKind.WEBINAR,
        "days_from_now": 40,
        "start": time(11, 0),
        "end": time(12, 30),
        "title_pl": "Webinar: cyberbezpieczeństwo w przychodni",
        "title_en": "Webinar: cybersecurity for outpatient clinics",
        "summary_pl": "Półtorej godziny o tym, jak mała placówka może się chronić przed "
        "atakami na systemy i wyciekiem danych pacjentów.",
        "summary_en": "Ninety minutes on how a small clinic can protect itself against "
        "attacks on its systems and leaks of patient data.",
        "description_pl": "Omówimy najczęstsze scenariusze ataków na placówki medyczne, "
        "minimalne zabezpieczenia, które warto mieć od zaraz, oraz to, jak przygotować "
        "personel na próby wyłudzenia haseł.\n\n"
        "Na końcu przewidzieliśmy czas na pytania uczestników. Nagranie będzie dostępne "
        "dla członków klastra.",
        "description_en": "We will cover the most common attacks on healthcare providers, the "
        "minimum safeguards worth having straight away, and how to prepare staff for "
        "password phishing.\n\n"
        "There will be time for questions at the end. The recording will be available to "
        "cluster members.",
        "online_url": "https://meet.mednet-klaster.example/cyberbezpieczenstwo",
        "capacity": None,
        "audience": EventAudience.PUBLIC,
        "centres": ("ict", "risk-management"),
    },
    {
        "slug": "konwent-innowacji-w-opiece-senioralnej",
        "kind": EventKind.CONVENTION,
        "days_from_now": 60,
        "days": 1,
        "start": time(10, 0),
        "end": time(15, 0),
        "title_pl": "Konwent innowacji w opiece senioralnej",
        "title_en": "Convention on innovation in senior care",
        "summary_pl": "Dwa dni spotkań placówek opiekuńczych, samorządów i firm, które "
        "tworzą rozwiązania dla osób starszych i z niepełnosprawnościami.",
        "summary_en": "Two days of meetings between care homes, local authorities and "
        "companies building solutions for older and disabled people.",
        "description_pl": "Pierwszego dnia zobaczymy na żywo czujniki upadku, systemy "
        "przywołania opiekuna i aplikacje przypominające o lekach. Drugiego dnia samorządy "
        "opowiedzą, jak finansują teleopiekę i jakie mają z nią doświadczenia.\n\n"
        "Konwent przygotowuje centrum kompetencji Wsparcie osób starszych i "
        "z niepełnosprawnościami.",
        "description_en": "On the first day you can try fall sensors, carer call systems and "
        "medication-reminder apps. On the second day local authorities explain how they fund "
        "remote care services and what they have learned.\n\n"
        "The convention is organised by the Support for the elderly and disabled competence "
        "centre.",
        "venue": "Centrum Opieki Senioralnej Złota Jesień, sala konferencyjna",
        "city": "Poznań",
        "capacity": 150,
        "audience": EventAudience.PUBLIC,
        "centres": ("elderly-and-disabled-support", "extensive-medical-care"),
    },
    {
        "slug": "walne-zgromadzenie-czlonkow",
        "kind": EventKind.GENERAL_ASSEMBLY,
        "days_from_now": 75,
        "start": time(10, 0),
        "end": time(14, 0),
        "title_pl": "Walne Zgromadzenie Członków Klastra MedNet",
        "title_en": "MedNet General Assembly",
        "summary_pl": "Coroczne zgromadzenie: sprawozdanie zarządu, plan działań na kolejny "
        "rok i wybór liderów centrów kompetencji.",
        "summary_en": "The yearly assembly: the board's report, next year's plan and the "
        "election of competence-centre leaders.",
        "description_pl": "Każda organizacja członkowska ma jeden głos, oddawany przez "
        "osobę uprawnioną do jej reprezentowania. Materiały na zgromadzenie prześlemy "
        "na dwa tygodnie przed terminem.\n\n"
        "Po części formalnej zapraszamy na obiad i rozmowy w kuluarach.",
        "description_en": "Each member organisation has one vote, cast by a person entitled to "
        "represent it. We will send the documents two weeks beforehand.\n\n"
        "After the formal part, everyone is invited to lunch and informal talks.",
        "venue": "Akademia Medyczna Ziemi Lubelskiej, aula główna",
        "city": "Lublin",
        "capacity": 80,
        "audience": EventAudience.MEMBERS,
        "centres": (),
    },
    {
        "slug": "kongres-innowacji-medycznych-mednet",
        "kind": EventKind.CONGRESS,
        "days_from_now": 90,
        "days": 1,
        "start": time(9, 0),
        "end": time(17, 0),
        "title_pl": "VI Kongres Innowacji Medycznych MedNet",
        "title_en": "6th MedNet Medical Innovation Congress",
        "summary_pl": "Największe spotkanie klastra: dwa dni wystąpień, pokazów technologii "
        "i rozmów o wspólnych projektach.",
        "summary_en": "The cluster's biggest gathering: two days of talks, technology "
        "demonstrations and conversations about joint projects.",
        "description_pl": "Tegoroczny kongres poświęcamy drodze innowacji od laboratorium "
        "do łóżka pacjenta. Wystąpią badacze, lekarze, inwestorzy i przedstawiciele "
        "instytucji finansujących badania.\n\n"
        "W strefie wystawienniczej członkowie klastra pokażą swoje prototypy, a w strefie "
        "spotkań będzie można umówić rozmowy z potencjalnymi partnerami.",
        "description_en": "This year's congress follows innovations from the laboratory to "
        "the patient's bedside. Speakers include researchers, doctors, investors and "
        "research funders.\n\n"
        "Cluster members will show their prototypes in the exhibition area, and you can book "
        "meetings with potential partners in the networking zone.",
        "venue": "Centrum Kongresowe Akademii Medycznej Ziemi Lubelskiej",
        "city": "Lublin",
        "capacity": 400,
        "audience": EventAudience.PUBLIC,
        "centres": ("pikmed-tech", "polinnovation-med", "telemedicine"),
    },
    {
        "slug": "spotkanie-szpitale-i-start-upy",
        "kind": EventKind.NETWORKING,
        "days_from_now": -30,
        "start": time(16, 0),
        "end": time(19, 0),
        "title_pl": "Spotkanie networkingowe: szpitale i start-upy",
        "title_en": "Networking meeting: hospitals meet start-ups",
        "summary_pl": "Wieczór krótkich prezentacji, na którym młode firmy poznały potrzeby "
        "szpitali z Podkarpacia.",
        "summary_en": "An evening of short pitches where young companies learned what "
        "hospitals in Subcarpathia need.",
        "description_pl": "Dziesięć start-upów miało po pięć minut na przedstawienie swojego "
        "rozwiązania, a przedstawiciele szpitali opowiadali o problemach, z którymi mierzą "
        "się na co dzień.\n\n"
        "Z rozmów zrodziły się trzy pomysły na wspólne projekty, które trafią do centrum "
        "kompetencji PIKMED Tech.",
        "description_en": "Ten start-ups had five minutes each to present their solutions, "
        "and hospital representatives described the problems they face every day.\n\n"
        "The conversations produced three ideas for joint projects, which will go to the "
        "PIKMED Tech competence centre.",
        "venue": "Miejski Szpital Zespolony, sala szkoleniowa",
        "city": "Rzeszów",
        "capacity": 60,
        "audience": EventAudience.PUBLIC,
        "centres": ("pikmed-tech", "polinnovation-med"),
    },
]

NEWS_POSTS = [
    {
        "slug": "wizyta-u-partnerow-na-litwie",
        "days_ago": 5,
        "title_pl": "Delegacja klastra z wizytą u partnerów na Litwie",
        "title_en": "Cluster delegation visits partners in Lithuania",
        "lead_pl": "Przedstawiciele ośmiu organizacji członkowskich spędzili dwa dni w Kownie, "
        "gdzie gościł ich nasz litewski członek, Baltmed Devices.",
        "lead_en": "Representatives of eight member organisations spent two days in Kaunas as "
        "guests of our Lithuanian member, Baltmed Devices.",
        "body_pl": "Program wizyty obejmował zwiedzanie zakładu produkcji wyrobów "
        "jednorazowych, spotkanie z miejscowym parkiem technologicznym oraz rozmowy "
        "z dyrekcją jednego z kowieńskich szpitali klinicznych.\n\n"
        "Uczestnicy wrócili z pomysłami na dwa projekty międzynarodowe, które zostaną "
        "przedstawione w centrum kompetencji Polinnovation MED.\n\n"
        "Relację z wyjazdu i kontakty do partnerów litewskich członkowie znajdą w portalu.",
        "body_en": "The programme included a tour of the disposable-device factory, a meeting "
        "with the local technology park and talks with the management of one of Kaunas's "
        "teaching hospitals.\n\n"
        "Participants came back with ideas for two international projects, which will be "
        "presented in the Polinnovation MED competence centre.\n\n"
        "Members will find a report from the trip and contacts for the Lithuanian partners in "
        "the portal.",
    },
    {
        "slug": "podsumowanie-szkolenia-fundusze-europejskie",
        "days_ago": 12,
        "title_pl": "Jak pozyskać fundusze europejskie: podsumowanie szkolenia",
        "title_en": "Securing EU funding: a training recap",
        "lead_pl": "Ponad czterdzieści osób z organizacji członkowskich uczyło się planować "
        "projekty konsorcjalne.",
        "lead_en": "More than forty people from member organisations learned how to plan "
        "consortium projects.",
        "body_pl": "Szkolenie dotyczyło naborów, w których szpitale, uczelnie i firmy mogą "
        "startować wspólnie. Uczestnicy przećwiczyli przygotowanie harmonogramu i budżetu "
        "na przykładzie projektu z zakresu telemedycyny.\n\n"
        "Materiały ze szkolenia są dostępne dla członków w portalu. Osoby, które chcą "
        "skonsultować konkretny pomysł, mogą umówić się na indywidualną rozmowę z biurem "
        "klastra.",
        "body_en": "The training covered calls in which hospitals, universities and companies "
        "can apply together. Participants practised preparing a schedule and a budget, using "
        "a telemedicine project as the example.\n\n"
        "The materials are available to members in the portal. Anyone who wants to discuss "
        "a specific idea can book a one-to-one meeting with the cluster office.",
    },
    {
        "slug": "wspolny-standard-wymiany-danych",
        "days_ago": 20,
        "title_pl": "Centrum ICT pracuje nad wspólnym standardem wymiany danych",
        "title_en": "The ICT centre is working on a shared data-exchange standard",
        "lead_pl": "Szpitale i dostawcy oprogramowania chcą, by wyniki badań i wypisy "
        "przechodziły między systemami bez ręcznego przepisywania.",
        "lead_en": "Hospitals and software vendors want test results and discharge summaries "
        "to move between systems without retyping.",
        "body_pl": "W pracach uczestniczy sześć organizacji członkowskich: szpital, sieć "
        "przychodni, uczelnia techniczna i trzy firmy technologiczne. Pierwszym krokiem jest "
        "uzgodnienie, które dane placówki wymieniają najczęściej.\n\n"
        "Wersja robocza specyfikacji ma być gotowa na wiosnę. Później zostanie sprawdzona "
        "w pilotażu w dwóch szpitalach.\n\n"
        "Organizacje, które chcą dołączyć do prac, mogą zgłosić się przez stronę centrum "
        "kompetencji w portalu.",
        "body_en": "Six member organisations are involved: a hospital, a chain of clinics, a "
        "technical university and three technology companies. The first step is agreeing "
        "which data providers exchange most often.\n\n"
        "A draft specification is due in the spring. It will then be tried out in a pilot at "
        "two hospitals.\n\n"
        "Organisations that want to join can apply through the competence centre's page in "
        "the portal.",
    },
    {
        "slug": "nagroda-dla-radiognozy",
        "days_ago": 33,
        "title_pl": "Nagroda dla członka klastra za innowację w diagnostyce obrazowej",
        "title_en": "Award for a cluster member's imaging innovation",
        "lead_pl": "Gdański start-up Radiognoza został wyróżniony za narzędzie wspierające "
        "radiologów w ocenie tomografii płuc.",
        "lead_en": "Gdańsk start-up Radiognoza has been recognised for a tool that helps "
        "radiologists read lung CT scans.",
        "body_pl": "Jury doceniło przede wszystkim to, że narzędzie od początku powstawało we "
        "współpracy z lekarzami i było testowane na danych z polskich szpitali.\n\n"
        "Gratulujemy całemu zespołowi i cieszymy się, że szpitale członkowskie mogły "
        "pomóc w badaniach.",
        "body_en": "Above all, the jury valued that the tool was built with doctors from the "
        "start and tested on data from Polish hospitals.\n\n"
        "Congratulations to the whole team; we are glad member hospitals could help with "
        "the research.",
    },
    {
        "slug": "zaproszenie-na-kongres-innowacji-medycznych",
        "days_ago": 26,
        "title_pl": "Ruszyła rejestracja na VI Kongres Innowacji Medycznych",
        "title_en": "Registration for the 6th Medical Innovation Congress is open",
        "lead_pl": "Zapraszamy na dwa dni wystąpień, pokazów i rozmów o wspólnych projektach "
        "w Lublinie.",
        "lead_en": "Join us in Lublin for two days of talks, demonstrations and conversations "
        "about joint projects.",
        "body_pl": "Tegoroczny program skupia się na wdrażaniu innowacji w szpitalach: od "
        "pierwszego prototypu po codzienne używanie nowego rozwiązania.\n\n"
        "Członkowie klastra mogą zarezerwować stoisko w strefie wystawienniczej. Zgłoszenia "
        "przyjmuje biuro klastra.",
        "body_en": "This year's programme focuses on bringing innovations into hospitals: "
        "from the first prototype to everyday use of a new solution.\n\n"
        "Cluster members can book a stand in the exhibition area. The cluster office takes "
        "the bookings.",
    },
]


def _checksum(*, digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(digit) * weight for digit, weight in zip(digits, weights, strict=True)) % 11


def seed_for(*, text: str) -> int:
    # crc32, unlike hash(), gives the same number in every process, so identifiers stay put.
    return zlib.crc32(text.encode())


def nip_from_seed(*, seed: int) -> str:
    """A checksum-valid NIP; the same seed always gives the same number."""
    candidate = 100_000_000 + seed % 900_000_000
    while True:
        body = f"{candidate:09d}"
        check = _checksum(digits=body, weights=NIP_WEIGHTS)
        # A remainder of 10 has no check digit: such numbers are never issued.
        if check != 10:
            nip = f"{body}{check}"
            validate_nip(nip)
            return nip
        candidate += 1


def regon_from_seed(*, seed: int) -> str:
    """A checksum-valid 9-digit REGON; the same seed always gives the same number."""
    body = f"{10_000_000 + seed % 90_000_000:08d}"
    regon = f"{body}{_checksum(digits=body, weights=REGON_WEIGHTS) % 10}"
    validate_regon(regon)
    return regon


def krs_from_seed(*, seed: int) -> str:
    # Real KRS numbers are zero-padded sequence numbers, currently below a million or so.
    return f"{100_000 + seed % 900_000:010d}"


def slug_for(*, text: str) -> str:
    return slugify(text.translate(POLISH_L))


def email_for(*, full_name: str, domain: str) -> str:
    return f"{slug_for(text=full_name).replace('-', '.')}@{domain}.example"


def warsaw_datetime(*, day: date, at: time) -> datetime:
    return datetime.combine(day, at, tzinfo=WARSAW)


def first_working_day(*, day: date, span: int = 0) -> date:
    """The first day from `day` on which an event lasting `span` more days avoids weekends."""
    while any((day + timedelta(days=offset)).weekday() >= 5 for offset in range(span + 1)):
        day += timedelta(days=1)
    return day


@functools.cache
def demo_password_hash() -> str:
    return make_password(DEMO_PASSWORD)


def upsert_user(
    *,
    email: str,
    full_name: str,
    job_title: str = "",
    preferred_language: str = "pl",
    is_staff: bool = False,
    is_superuser: bool = False,
) -> User:
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        user = User.objects.create_user(email=email)
    user.full_name = full_name
    user.job_title = job_title
    user.preferred_language = preferred_language
    user.is_staff = is_staff
    user.is_superuser = is_superuser
    user.is_active = True
    # Reset on every run so the printed logins work even after someone changed a password.
    # One hash serves every demo account: hashing 40 passwords would cost ten seconds.
    user.password = demo_password_hash()
    user.save()
    # allauth refuses to log in unverified addresses when verification is mandatory.
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )
    return user


def upsert_participation(
    *,
    organisation: Organisation,
    centre: CompetenceCentre,
    status: str,
    requested_by: User,
    requested_at: datetime,
    decided_by: User | None = None,
    decided_at: datetime | None = None,
) -> CentreParticipation:
    # Rejected or withdrawn rows stay as history, so (organisation, centre) is not unique:
    # take the newest row rather than let get_or_create trip over several.
    participation = (
        CentreParticipation.objects.filter(organisation=organisation, centre=centre)
        .order_by("-requested_at", "-pk")
        .first()
    ) or CentreParticipation(organisation=organisation, centre=centre)
    participation.status = status
    participation.motivation = CENTRE_MOTIVATIONS[centre.slug]
    participation.requested_by = requested_by
    participation.decided_by = decided_by
    participation.decided_at = decided_at
    participation.decision_message = ""
    participation.save()
    # requested_at is auto_now_add, which ignores assigned values; backdate it separately.
    CentreParticipation.objects.filter(pk=participation.pk).update(requested_at=requested_at)
    return participation


class Command(BaseCommand):
    help = "Create or refresh a fictional demo cluster: organisations, people, events and news."

    def handle(self, *args, **options):
        with transaction.atomic():
            self.now = timezone.now()
            self.centres = self.load_centres()
            self.seed_site_settings()
            coordinator = self.seed_staff()
            organisations = self.seed_organisations(coordinator=coordinator)
            # Rows written here bypass the services, so the search index is refreshed here.
            organisation_refresh_search(organisation_ids=[o.pk for o in organisations.values()])
            admins = self.seed_people(organisations=organisations)
            self.seed_participations(
                organisations=organisations, admins=admins, coordinator=coordinator
            )
            self.seed_events()
            self.seed_news()
        self.report()

    def load_centres(self) -> dict[str, CompetenceCentre]:
        centres = {centre.slug: centre for centre in CompetenceCentre.objects.all()}
        missing = set(CENTRE_MOTIVATIONS) - set(centres)
        if missing:
            raise CommandError(
                f"Competence centres missing ({', '.join(sorted(missing))}); run migrate first."
            )
        return centres

    def seed_site_settings(self) -> None:
        SiteSettings.objects.update_or_create(pk=1, defaults=SITE_SETTINGS)

    def seed_staff(self) -> User:
        try:
            coordinators_group = Group.objects.get(name=COORDINATORS_GROUP)
        except Group.DoesNotExist as exc:
            raise CommandError(
                f'The "{COORDINATORS_GROUP}" group is missing; run migrate first.'
            ) from exc
        coordinator = upsert_user(
            email=COORDINATOR_EMAIL,
            full_name="Piotr Zieliński",
            job_title="Koordynator klastra",
            is_staff=True,
        )
        coordinator.groups.add(coordinators_group)
        for slug in COORDINATED_CENTRES:
            self.centres[slug].coordinators.add(coordinator)
        upsert_user(
            email=SUPERUSER_EMAIL,
            full_name="Administrator portalu",
            is_staff=True,
            is_superuser=True,
        )
        return coordinator

    def seed_organisations(self, *, coordinator: User) -> dict[str, Organisation]:
        organisations = {}
        for data in ORGANISATIONS:
            slug = slug_for(text=data["name"])
            seed = seed_for(text=slug)
            status = data.get("status", OrganisationStatus.ACTIVE)
            joined_on = data.get("joined_on")
            decided_on = data.get("decided_on", joined_on)
            admin_name = data["admin"][0]
            admin_email = data.get("admin_email") or email_for(
                full_name=admin_name, domain=data["domain"]
            )
            organisation, _created = Organisation.objects.update_or_create(
                slug=slug,
                defaults={
                    "name": data["name"],
                    "kind": data["kind"],
                    "nip": nip_from_seed(seed=seed),
                    "regon": regon_from_seed(seed=seed) if data.get("regon") else "",
                    "krs": krs_from_seed(seed=seed) if data.get("krs") else "",
                    "street": data["street"],
                    "postal_code": data["postal_code"],
                    "city": data["city"],
                    "region": data["region"],
                    "country": data.get("country", "PL"),
                    "website": f"https://{data['domain']}.example",
                    "description": data["description"],
                    "specialisations": data["specialisations"],
                    "size_band": data["size_band"],
                    "contact_name": admin_name,
                    "contact_email": admin_email,
                    "contact_phone": data["phone"],
                    "contact_is_public": data.get("contact_is_public", False),
                    "status": status,
                    "is_public": data.get("is_public", True),
                    "joined_on": joined_on,
                    # Pending applications have not been decided by anyone yet.
                    "decided_by": coordinator if decided_on else None,
                    "decided_at": warsaw_datetime(day=decided_on, at=time(12))
                    if decided_on
                    else None,
                    "decision_message": data.get("decision_message", ""),
                },
            )
            # Hand-typed data: fail loudly on a bad identifier, URL or e-mail.
            organisation.full_clean()
            organisations[data["name"]] = organisation
        return organisations

    def seed_people(self, *, organisations: dict[str, Organisation]) -> dict[str, User]:
        admins = {}
        for data in ORGANISATIONS:
            organisation = organisations[data["name"]]
            admin_name, admin_title = data["admin"]
            admin = upsert_user(
                email=organisation.contact_email,
                full_name=admin_name,
                job_title=admin_title,
                preferred_language=data.get("admin_language", "pl"),
            )
            self.add_membership(user=admin, organisation=organisation, role=MembershipRole.ADMIN)
            admins[data["name"]] = admin
            if "member" in data:
                member_name, member_title = data["member"]
                member = upsert_user(
                    email=email_for(full_name=member_name, domain=data["domain"]),
                    full_name=member_name,
                    job_title=member_title,
                )
                self.add_membership(
                    user=member, organisation=organisation, role=MembershipRole.MEMBER
                )
        demo_member = User.objects.get(email=DEMO_MEMBER_EMAIL)
        self.add_membership(
            user=demo_member,
            organisation=organisations[DEMO_MEMBER_SECOND_ORGANISATION],
            role=MembershipRole.MEMBER,
        )
        return admins

    @staticmethod
    def add_membership(*, user: User, organisation: Organisation, role: str) -> None:
        OrganisationMembership.objects.update_or_create(
            user=user, organisation=organisation, defaults={"role": role}
        )

    def seed_participations(
        self,
        *,
        organisations: dict[str, Organisation],
        admins: dict[str, User],
        coordinator: User,
    ) -> None:
        for data in ORGANISATIONS:
            organisation = organisations[data["name"]]
            if organisation.status == OrganisationStatus.APPLIED:
                continue
            # Centres were joined a month after the membership decision, and asked for a
            # fortnight before that.
            decided_at = warsaw_datetime(day=data["joined_on"] + timedelta(days=30), at=time(12))
            for slug in data.get("centres", ()):
                upsert_participation(
                    organisation=organisation,
                    centre=self.centres[slug],
                    status=ParticipationStatus.ACTIVE,
                    requested_by=admins[data["name"]],
                    requested_at=decided_at - timedelta(days=14),
                    decided_by=coordinator,
                    decided_at=decided_at,
                )
            for slug in data.get("requests", ()):
                upsert_participation(
                    organisation=organisation,
                    centre=self.centres[slug],
                    status=ParticipationStatus.REQUESTED,
                    requested_by=admins[data["name"]],
                    requested_at=self.now - timedelta(days=3),
                )
            for slug in data.get("leads", ()):
                if organisation.status != OrganisationStatus.ACTIVE or slug not in data["centres"]:
                    raise CommandError(
                        f"{organisation} cannot lead {slug}: leaders are active participants."
                    )
                centre = self.centres[slug]
                centre.leader = organisation
                centre.save(update_fields=["leader"])

    def seed_events(self) -> None:
        today = self.now.astimezone(WARSAW).date()
        for data in EVENTS:
            span = data.get("days", 0)
            start_day = first_working_day(
                day=today + timedelta(days=data["days_from_now"]), span=span
            )
            starts_at = warsaw_datetime(day=start_day, at=data["start"])
            ends_at = warsaw_datetime(day=start_day + timedelta(days=span), at=data["end"])
            event, _created = Event.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "kind": data["kind"],
                    "title_pl": data["title_pl"],
                    "title_en": data["title_en"],
                    "summary_pl": data["summary_pl"],
                    "summary_en": data["summary_en"],
                    "description_pl": data["description_pl"],
                    "description_en": data["description_en"],
                    "starts_at": starts_at,
                    "ends_at": ends_at,
                    "venue": data.get("venue", ""),
                    "city": data.get("city", ""),
                    "online_url": data.get("online_url", ""),
                    "capacity": data["capacity"],
                    "registration_opens_at": starts_at - timedelta(days=120),
                    "registration_closes_at": starts_at - timedelta(days=1),
                    "audience": data["audience"],
                    "is_published": True,
                },
            )
            event.centres.set([self.centres[slug] for slug in data["centres"]])

    def seed_news(self) -> None:
        today = self.now.astimezone(WARSAW).date()
        for data in NEWS_POSTS:
            NewsPost.objects.update_or_create(
                slug=data["slug"],
                defaults={
                    "title_pl": data["title_pl"],
                    "title_en": data["title_en"],
                    "lead_pl": data["lead_pl"],
                    "lead_en": data["lead_en"],
                    "body_pl": data["body_pl"],
                    "body_en": data["body_en"],
                    "is_published": True,
                    "published_at": warsaw_datetime(
                        day=today - timedelta(days=data["days_ago"]), at=time(10)
                    ),
                },
            )

    def report(self) -> None:
        counts = {
            "organisations": Organisation.objects.count(),
            "users": User.objects.count(),
            "centre participations": CentreParticipation.objects.count(),
            "events": Event.objects.count(),
            "news posts": NewsPost.objects.count(),
        }
        self.stdout.write(
            "Database now holds "
            + ", ".join(f"{count} {label}" for label, count in counts.items())
            + "."
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo logins (password: {DEMO_PASSWORD})\n"
                f"  {DEMO_MEMBER_EMAIL} — organisation admin\n"
                f"  {COORDINATOR_EMAIL} — cluster coordinator (admin at /admin/)\n"
                f"  {SUPERUSER_EMAIL} — superuser\n"
                "  Every organisation admin and member also logs in with the same password."
            )
        )
