"""The demo's two events as plain specifications: a CNFPT-style training day (Z26IN 001) and a
two-day national conference (RNIT 26), with their rooms, speakers, sessions and translations.

Every person, organisation, address, phone number and e-mail below is invented. No database here:
services/demo.py builds the events from these specifications.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class SessionSpec:
    """One programme line: local day and times, room and track by name, speakers by key."""

    day: date
    start: str
    end: str
    type: str
    title: str
    room: str | None = None
    description: str = ""
    speakers: list[tuple[str, str]] = field(default_factory=list)  # (speaker key, role)
    track: str | None = None
    capacity: int | None = None
    requires_registration: bool = False
    languages: str = "fr"
    translations: dict[str, dict[str, str]] = field(default_factory=dict)  # {"en": {"title": …}}


@dataclass
class EventSpec:
    code: str
    data: dict
    rooms: list[dict]
    speakers: dict[str, dict]
    sessions: list[SessionSpec]
    tracks: list[dict] = field(default_factory=list)
    registration: dict = field(default_factory=dict)  # registration settings (save_settings)


# ------------------------------------------------------------------ Z26IN 001

TRAINING_DAY = date(2026, 6, 25)

Z26IN = EventSpec(
    code="Z26IN 001",
    # One theme per facilitator of the speed-networking, in their order: each table gets its theme.
    registration={"networking_themes": [
        "ODD et AICT", "Financements FICOL", "Cadre juridique de l'AICT", "Formation AICT",
        "Associations de la diaspora et de migrants", "Expatriation et territoriaux",
        "Déclaration de l'aide publique au développement (APD)",
    ]},
    data={
        "title": "Nouveaux mandats, nouvelles perspectives pour l'action internationale "
        "des collectivités territoriales",
        "subtitle": "Action internationale des collectivités territoriales (AICT) : le dialogue à renouer "
        "avec les nouvelles équipes municipales",
        "kind": "training_day",
        "start_date": TRAINING_DAY,
        "end_date": TRAINING_DAY,
        "timezone": "Europe/Paris",
        "venue_name": "Hôtel d'agglomération de Val-de-Seine",
        "venue_address": "Communauté d'agglomération de Val-de-Seine\n"
        "12 place de la Confluence\n"
        "91999 Val-de-Seine (adresse fictive)",
        "access_notes": "RER D, gare de Val-de-Seine Centre, puis 8 minutes à pied par le parvis.\n"
        "Parking visiteurs gratuit au niveau -1 (places réservées aux personnes à mobilité réduite "
        "près des ascenseurs).\n\n"
        "L'accueil, la salle du conseil et la salle Europe sont de plain-pied. La salle Afrique est "
        "au 1er étage, sans ascenseur : signalez-nous un besoin d'accès pour que l'atelier n°2 soit "
        "déplacé.",
        "audience": "Directeurs et directrices de l'action internationale, chargés et chargées de "
        "mission relations internationales, coopération décentralisée, Europe, jumelages, jeunesse, "
        "culture, etc.",
        "context": "2026, année de renouvellement des équipes municipales, est aussi une année de bilan "
        "et de réflexion prospective pour les agentes et agents territoriaux en charge de l'action "
        "internationale des collectivités territoriales (AICT).\n\n"
        "Après un net recul lors des précédentes échéances électorales, l'AICT connaît un regain "
        "d'intérêt : les liens entre les territoires et le monde sont de nouveau interrogés, et "
        "l'international en collectivité fait l'objet d'une nouvelle vague de recrutements.\n\n"
        "Au cours de cette journée, nous dresserons de manière participative un état des lieux des "
        "sujets abordés en collectivité en matière d'AICT, nous étudierons l'art et la manière de les "
        "aborder, et nous construirons collectivement des outils pour engager un dialogue renouvelé "
        "avec les nouvelles équipes municipales.",
        "contacts": "Contenu de la journée : Julien Abadie, responsable des formations Europe et "
        "international, Institut territorial des relations internationales (fictif) — "
        "tél. 01 00 00 00 01 — julien.abadie@example.org\n\n"
        "Information et inscription : Nadia Ferhat, assistante de formation — "
        "tél. 01 00 00 00 02 — inscriptions-aict@example.org\n\n"
        "Pour vous inscrire, rapprochez-vous du service formation de votre collectivité.",
        "languages": "fr,en",  # French first; English offered (texts fall back to French)
    },
    rooms=[
        {"name": "Salle du conseil", "capacity": 120, "step_free": True, "position": 1,
         "location_notes": "Rez-de-chaussée, au fond du hall."},
        {"name": "Salle Europe", "capacity": 30, "step_free": True, "position": 2,
         "location_notes": "Rez-de-chaussée, aile est."},
        {"name": "Salle Afrique", "capacity": 25, "step_free": False, "position": 3,
         "location_notes": "1er étage, escalier B (pas d'ascenseur)."},
        {"name": "Hall / espace restauration", "capacity": 150, "step_free": True, "position": 4,
         "location_notes": "Entrée principale."},
    ],  # fmt: skip
    speakers={
        "directrice": {"name": "Claire Vasseur", "function": "directrice",
                       "organisation": "Institut territorial des relations internationales (fictif)",
                       "or_representative": True},
        "president": {"name": "Marc-Antoine Lebrun", "function": "président",
                      "organisation": "Communauté d'agglomération de Val-de-Seine",
                      "or_representative": True},
        "responsable": {"name": "Julien Abadie",
                        "function": "responsable des formations Europe et international",
                        "organisation": "Institut territorial des relations internationales (fictif)"},
        "diagnostic": {"name": "Sophie Nguyen", "function": "chargée de mission relations internationales",
                       "organisation": "Ville de Bourg-Fontaine (fictive)"},
        "expertise": {"name": "Karim Belkacem", "function": "consultant, expertise territoriale",
                      "organisation": "Cabinet Territoires & Monde (fictif)"},
        "moderateur": {"name": "Bastien Morvan", "function": "directeur",
                       "organisation": "Agence Horizons partagés (fictive)"},
        "agglo": {"name": "Élodie Ramirez", "function": "directrice des relations internationales",
                  "organisation": "Communauté d'agglomération de Val-de-Seine"},
        "atelier1": {"name": "Thomas Girard", "function": "facilitateur en intelligence collective",
                     "organisation": "Coopérative Le Fil commun (fictive)"},
        "atelier2": {"name": "Aminata Diallo", "function": "chargée de mission mobilité internationale",
                     "organisation": "Département de la Haute-Vallée (fictif)"},
        "odd": {"name": "Lucie Perrin", "function": "chargée de mission ODD",
                "organisation": "Région Val-de-Loire-Océan (fictive)"},
        "ficol": {"name": "Hugo Lemaire", "function": "chargé de programme financements des collectivités",
                  "organisation": "Agence pour le développement local (fictive)"},
        "juridique": {"name": "Nathalie Caron", "function": "juriste en droit des collectivités",
                      "organisation": "Centre de gestion de la Plaine (fictif)"},
        "formation": {"name": "Olivier Marchand", "function": "conseiller formation AICT",
                      "organisation": "Institut territorial des relations internationales (fictif)"},
        "diaspora": {"name": "Fatou Sow", "function": "coordinatrice",
                     "organisation": "Forum des associations de solidarité internationale de Val-de-Seine (fictif)"},
        "expatriation": {"name": "Pierre-Yves Morel", "function": "ingénieur territorial en disponibilité",
                         "organisation": "Réseau des territoriaux à l'international (fictif)"},
        "apd": {"name": "Inès Bouchard", "function": "analyste aide publique au développement",
                "organisation": "Observatoire de la coopération décentralisée (fictif)"},
    },  # fmt: skip
    sessions=[
        SessionSpec(TRAINING_DAY, "09:30", "10:00", "welcome", "Accueil des participantes et participants",
                    room="Hall / espace restauration", description="Café d'accueil et remise des badges."),
        SessionSpec(TRAINING_DAY, "10:00", "10:10", "opening", "Allocutions d'ouverture",
                    room="Salle du conseil",
                    speakers=[("directrice", "speaker"), ("president", "speaker")]),
        SessionSpec(TRAINING_DAY, "10:10", "10:15", "other", "Présentation du programme",
                    room="Salle du conseil", speakers=[("responsable", "speaker")]),
        SessionSpec(TRAINING_DAY, "10:15", "11:15", "talk", "Nouveaux enjeux de l'AICT pour l'année 2026",
                    room="Salle du conseil",
                    description="Exposés introductifs :\n- Le diagnostic de mondialité\n"
                    "- Expertise territoriale et expatriation",
                    speakers=[("diagnostic", "speaker"), ("expertise", "speaker")]),
        SessionSpec(TRAINING_DAY, "11:15", "12:15", "interaction", "L'AICT dans ma collectivité en 2026",
                    room="Salle du conseil",
                    description="Écriture collective de l'état de l'art.\nÉchanges en petits groupes."),
        SessionSpec(TRAINING_DAY, "12:15", "12:30", "sharing", "Mise en partage des expériences",
                    room="Salle du conseil", speakers=[("moderateur", "moderator")]),
        SessionSpec(TRAINING_DAY, "12:30", "14:00", "meal", "Déjeuner",
                    room="Hall / espace restauration",
                    description="Sur place, offert par la Communauté d'agglomération de Val-de-Seine."),
        SessionSpec(TRAINING_DAY, "12:45", "14:00", "speed_networking", "Le speed-networking de l'AICT",
                    room="Salle du conseil", capacity=42,
                    description="Rencontres par groupes de 6 personnes, par rotation de 10 à 12 minutes, "
                    "autour de 7 intervenants animateurs. Thèmes (sous réserve) :\n"
                    "- ODD et AICT\n- Financements FICOL\n- Cadre juridique de l'AICT\n"
                    "- Formation AICT\n- Associations de la diaspora et de migrants\n"
                    "- Expatriation et territoriaux\n- Déclaration de l'aide publique au développement (APD)",
                    speakers=[("odd", "facilitator"), ("ficol", "facilitator"), ("juridique", "facilitator"),
                              ("formation", "facilitator"), ("diaspora", "facilitator"),
                              ("expatriation", "facilitator"), ("apd", "facilitator")]),
        SessionSpec(TRAINING_DAY, "14:00", "14:30", "talk",
                    "Présentation du « diagnostic territorial de mondialité » de Val-de-Seine",
                    room="Salle du conseil", speakers=[("agglo", "speaker")],
                    description="Plaquette disponible sur l'espace documentaire de la journée."),
        SessionSpec(TRAINING_DAY, "14:30", "16:00", "workshop",
                    "Atelier n°1 : le document idéal à proposer aux nouvelles et nouveaux élus",
                    room="Salle Europe", capacity=30, requires_registration=True,
                    description="Bilan, diagnostic de mondialité… Écriture collective « Bright Mirror ».",
                    speakers=[("atelier1", "facilitator")]),
        SessionSpec(TRAINING_DAY, "14:30", "16:00", "workshop",
                    "Atelier n°2 : expertise territoriale, expatriation et mobilité internationale",
                    room="Salle Afrique", capacity=25, requires_registration=True,
                    description="Les nouveaux territoires de l'AICT.",
                    speakers=[("atelier2", "facilitator")]),
        SessionSpec(TRAINING_DAY, "16:00", "16:15", "sharing", "Mise en partage des travaux en ateliers",
                    room="Salle du conseil", speakers=[("moderateur", "moderator")]),
        SessionSpec(TRAINING_DAY, "16:15", "16:30", "closing", "Mot de clôture et fin de la journée",
                    room="Salle du conseil", speakers=[("responsable", "speaker")]),
    ],
)

# ------------------------------------------------------------------ RNIT 26

DAY1, DAY2 = date(2026, 10, 6), date(2026, 10, 7)
HALL, AMPHI = "Hall des partenaires", "Amphithéâtre Confluence"
LOIRE, RHONE, GARONNE = "Salle Loire", "Salle Rhône", "Salle Garonne"

RNIT = EventSpec(
    code="RNIT 26",
    registration={
        "email_message": "Accueil à partir de 8 h 30 dans le hall Rhône, badge et programme remis "
        "sur place.\nPensez à apporter une pièce d'identité.\n\nLes délégations étrangères "
        "sont accueillies au stand « International ».",
        "translations": {
            "en": {"email_message": "Reception from 8:30 in the Rhône hall, where you will receive "
                   "your badge and programme.\nPlease bring an identity document.\n\nForeign "
                   "delegations are welcomed at the “International” desk."},
            "de": {"email_message": "Empfang ab 8:30 Uhr in der Rhône-Halle, Namensschild und "
                   "Programm erhalten Sie vor Ort.\nBitte bringen Sie einen Ausweis mit.\n\n"
                   "Ausländische Delegationen werden am Stand „International“ empfangen."},
        },
    },
    data={
        "title": "Rencontres nationales de l'ingénierie territoriale 2026",
        "subtitle": "Climat, coopération, numérique : l'ingénierie publique au service des territoires",
        "kind": "conference",
        "start_date": DAY1,
        "end_date": DAY2,
        "timezone": "Europe/Paris",
        "venue_name": "Centre de congrès de la Confluence",
        "venue_address": "1 esplanade des Deux-Rives\n69999 Confluence-sur-Rhône (adresse fictive)",
        "access_notes": "Tramway T9, arrêt « Deux-Rives ». Gare à 15 minutes à pied.\n"
        "Tout le centre de congrès est accessible de plain-pied ou par ascenseur ; une boucle "
        "magnétique équipe l'amphithéâtre.",
        "audience": "Ingénieures et ingénieurs territoriaux, techniciennes et techniciens, directions "
        "générales des services techniques, élues et élus en charge de l'aménagement, partenaires "
        "des collectivités.",
        "context": "Chaque année, les Rencontres nationales réunissent l'ingénierie territoriale autour "
        "des transitions qui transforment les services publics locaux.\n\n"
        "Cette édition croise trois thèmes : l'adaptation au changement climatique, la coopération "
        "entre territoires, en France et à l'international, et le numérique responsable. Plénières "
        "le matin, ateliers en parallèle l'après-midi.",
        "contacts": "Secrétariat des Rencontres : Association des ingénieurs des territoires (fictive) — "
        "tél. 01 00 00 00 10 — rencontres@example.org\n\n"
        "Partenariats et exposants : Damien Roux — partenariats@example.org",
        # Foreign delegations attend: the conference is offered, and translated, in three languages.
        "languages": "fr,en,de",
        "translations": {
            "en": {
                "title": "National Meetings of Local Government Engineering 2026",
                "subtitle": "Climate, cooperation, digital: public engineering serving local areas",
                "access_notes": "Tram T9, “Deux-Rives” stop. Railway station a 15-minute walk away.\n"
                "The whole congress centre is step-free or reachable by lift; the auditorium has "
                "a hearing loop.",
                "audience": "Local government engineers and technicians, technical services "
                "directors, elected officials in charge of planning, partners of local authorities.",
                "context": "Every year, the National Meetings bring local government engineering "
                "together around the transitions that are changing local public services.\n\n"
                "This edition brings three themes together: adapting to climate change, cooperation "
                "between territories in France and abroad, and responsible digital technology. "
                "Plenary sessions in the morning, parallel workshops in the afternoon.",
            },
            "de": {
                "title": "Nationale Tagung der kommunalen Ingenieurinnen und Ingenieure 2026",
                "subtitle": "Klima, Zusammenarbeit, Digitales: öffentliche Ingenieurleistungen "
                "im Dienst der Regionen",
                "access_notes": "Straßenbahn T9, Haltestelle „Deux-Rives“. Bahnhof 15 Gehminuten "
                "entfernt.\nDas gesamte Kongresszentrum ist stufenlos oder per Aufzug erreichbar; "
                "der Hörsaal hat eine Induktionsschleife.",
                "audience": "Kommunale Ingenieurinnen und Ingenieure, Technikerinnen und Techniker, "
                "Leitungen technischer Dienste, für Planung zuständige Mandatsträger, Partner der "
                "Gebietskörperschaften.",
                "context": "Jedes Jahr bringt die Nationale Tagung die kommunalen Ingenieurinnen "
                "und Ingenieure zu den Umbrüchen zusammen, die die öffentlichen Dienste vor Ort "
                "verändern.\n\nDiese Ausgabe verbindet drei Themen: Anpassung an den Klimawandel, "
                "Zusammenarbeit zwischen Regionen in Frankreich und international sowie "
                "verantwortungsvolle Digitalisierung. Plenarsitzungen am Vormittag, parallele "
                "Workshops am Nachmittag.",
            },
        },
    },
    tracks=[
        {"name": "Climat", "colour": "#1d6b35"},
        {"name": "Coopération", "colour": "#0b4f8a"},
        {"name": "Numérique", "colour": "#6a2c91"},
    ],
    rooms=[
        {"name": AMPHI, "capacity": 400, "step_free": True, "position": 1,
         "location_notes": "Niveau 0, portes A et B.",
         "translations": {"en": {"name": "Confluence Auditorium", "location_notes": "Level 0, doors A and B."},
                          "de": {"name": "Hörsaal Confluence", "location_notes": "Ebene 0, Türen A und B."}}},
        {"name": LOIRE, "capacity": 80, "step_free": True, "position": 2, "location_notes": "Niveau 1, ascenseur C.",
         "translations": {"en": {"name": "Loire Room", "location_notes": "Level 1, lift C."},
                          "de": {"name": "Saal Loire", "location_notes": "Ebene 1, Aufzug C."}}},
        {"name": RHONE, "capacity": 60, "step_free": True, "position": 3, "location_notes": "Niveau 1, ascenseur C.",
         "translations": {"en": {"name": "Rhône Room", "location_notes": "Level 1, lift C."},
                          "de": {"name": "Saal Rhône", "location_notes": "Ebene 1, Aufzug C."}}},
        {"name": GARONNE, "capacity": 50, "step_free": True, "position": 4, "location_notes": "Niveau 1, ascenseur C.",
         "translations": {"en": {"name": "Garonne Room", "location_notes": "Level 1, lift C."},
                          "de": {"name": "Saal Garonne", "location_notes": "Ebene 1, Aufzug C."}}},
        {"name": HALL, "capacity": 500, "step_free": True, "position": 5, "location_notes": "Niveau 0.",
         "translations": {"en": {"name": "Partners' Hall", "location_notes": "Level 0."},
                          "de": {"name": "Partnerhalle", "location_notes": "Ebene 0."}}},
    ],  # fmt: skip
    speakers={
        "pres": {"name": "Véronique Aubert", "function": "présidente",
                 "organisation": "Association des ingénieurs des territoires (fictive)"},
        "maire": {"name": "Jean-Baptiste Carré", "function": "maire de Confluence-sur-Rhône (fictif)",
                  "organisation": "Ville de Confluence-sur-Rhône", "or_representative": True},
        "journaliste": {"name": "Margaux Lefèvre", "function": "journaliste",
                        "organisation": "Revue Territoires durables (fictive)"},
        "climat1": {"name": "Antoine Dubois", "function": "climatologue",
                    "organisation": "Laboratoire des climats régionaux (fictif)"},
        "climat2": {"name": "Samia Haddad", "function": "directrice des services techniques",
                    "organisation": "Ville de Port-Lagune (fictive)"},
        "climat3": {"name": "Grégoire Fontaine", "function": "ingénieur eau et assainissement",
                    "organisation": "Syndicat des eaux du Val d'Argent (fictif)"},
        "coop1": {"name": "Mariama Konaté", "function": "directrice de la coopération",
                  "organisation": "Région Sud-Atlantique (fictive)"},
        "coop2": {"name": "Lars Andersen", "function": "city engineer",
                  "organisation": "Municipality of Nordhavn (fictional)"},
        "coop3": {"name": "Chloé Besnard", "function": "chargée de mission jumelages",
                  "organisation": "Ville de Montaigu-les-Prés (fictive)"},
        "num1": {"name": "Rémi Vidal", "function": "directeur des systèmes d'information",
                 "organisation": "Métropole des Trois-Vallées (fictive)"},
        "num2": {"name": "Yasmine Benali", "function": "responsable SIG",
                 "organisation": "Département du Haut-Plateau (fictif)"},
        "num3": {"name": "Paul Meunier", "function": "responsable sécurité des systèmes d'information",
                 "organisation": "Centre de gestion mutualisé (fictif)"},
        "mod1": {"name": "Hélène Roussel", "function": "ingénieure en chef",
                 "organisation": "Communauté urbaine de Belvédère (fictive)"},
        "mod2": {"name": "Sébastien Laurent", "function": "directeur général des services techniques",
                 "organisation": "Ville de Saint-Aubin-des-Champs (fictive)"},
        "mod3": {"name": "Nora Kessler", "function": "cheffe de projet transition numérique",
                 "organisation": "Agglomération du Pays de Liane (fictive)"},
        "atelier_a": {"name": "Julie Marchal", "function": "paysagiste conceptrice",
                      "organisation": "Ville de Port-Lagune (fictive)"},
        "atelier_b": {"name": "Ousmane Traoré", "function": "président",
                      "organisation": "Collectif des associations de la diaspora (fictif)"},
        "atelier_c": {"name": "Camille Roy", "function": "administratrice de données",
                      "organisation": "Région Sud-Atlantique (fictive)"},
        "temoin": {"name": "François Lemoine", "function": "grand témoin, ingénieur général honoraire",
                   "organisation": ""},
    },  # fmt: skip
    sessions=[
        # Day 1
        SessionSpec(DAY1, "08:30", "09:15", "welcome", "Accueil et café", room=HALL),
        SessionSpec(DAY1, "09:15", "09:45", "opening", "Ouverture des Rencontres", room=AMPHI,
                    languages="fr,en", speakers=[("pres", "speaker"), ("maire", "speaker")]),
        SessionSpec(DAY1, "09:45", "11:00", "plenary", "Adapter nos territoires à un climat à +4 °C",
                    room=AMPHI, track="Climat", languages="fr,en",
                    description="Trajectoire de réchauffement de référence, ce qu'elle change pour les "
                    "réseaux, les bâtiments et l'espace public.",
                    speakers=[("mod1", "moderator"), ("climat1", "speaker"), ("climat2", "speaker"),
                              ("climat3", "speaker")]),
        SessionSpec(DAY1, "11:00", "11:30", "break", "Pause", room=HALL),
        SessionSpec(DAY1, "11:30", "12:30", "plenary",
                    "Coopérer au-delà des frontières : l'ingénierie territoriale à l'international",
                    room=AMPHI, track="Coopération", languages="fr,en",
                    speakers=[("journaliste", "moderator"), ("coop1", "speaker"), ("coop2", "speaker")]),
        SessionSpec(DAY1, "12:30", "14:00", "meal", "Déjeuner", room=HALL),
        SessionSpec(DAY1, "14:00", "15:30", "workshop",
                    "Les ODD et la coopération décentralisée : regards croisés européens",
                    room=LOIRE, track="Coopération", capacity=80, languages="fr,en",
                    speakers=[("mod2", "moderator"), ("coop2", "speaker"), ("coop3", "speaker")]),
        SessionSpec(DAY1, "14:00", "15:30", "workshop",
                    "Mesurer l'empreinte carbone des projets d'infrastructure",
                    room=RHONE, track="Climat", capacity=60,
                    speakers=[("mod1", "moderator"), ("climat3", "speaker")]),
        SessionSpec(DAY1, "14:00", "15:30", "workshop", "Jumeaux numériques du territoire : par où commencer ?",
                    room=GARONNE, track="Numérique", capacity=50,
                    speakers=[("mod3", "moderator"), ("num2", "speaker")]),
        SessionSpec(DAY1, "15:30", "16:00", "break", "Pause", room=HALL),
        SessionSpec(DAY1, "16:00", "17:30", "workshop",
                    "Îlots de chaleur : désimperméabiliser les cours d'école",
                    room=LOIRE, track="Climat", capacity=80,
                    speakers=[("mod1", "moderator"), ("atelier_a", "speaker"), ("climat2", "speaker")]),
        SessionSpec(DAY1, "16:00", "17:30", "workshop",
                    "Mobiliser les acteurs de son territoire pour l'action internationale",
                    room=RHONE, track="Coopération", capacity=60,
                    speakers=[("mod2", "moderator"), ("atelier_b", "speaker"), ("coop1", "speaker")]),
        SessionSpec(DAY1, "16:00", "17:30", "workshop", "Données ouvertes et SIG : mutualiser entre collectivités",
                    room=GARONNE, track="Numérique", capacity=50,
                    speakers=[("mod3", "moderator"), ("atelier_c", "speaker"), ("num2", "speaker")]),
        # Day 2
        SessionSpec(DAY2, "08:45", "09:15", "welcome", "Accueil et café", room=HALL),
        SessionSpec(DAY2, "09:15", "10:45", "plenary", "Sobriété numérique et services publics locaux",
                    room=AMPHI, track="Numérique", languages="fr,en",
                    speakers=[("journaliste", "moderator"), ("num1", "speaker"), ("num3", "speaker")]),
        SessionSpec(DAY2, "10:45", "11:15", "break", "Pause", room=HALL),
        SessionSpec(DAY2, "11:15", "12:45", "workshop", "Partager la ressource en eau entre territoires",
                    room=LOIRE, track="Climat", capacity=80,
                    speakers=[("mod1", "moderator"), ("climat3", "speaker"), ("climat1", "speaker")]),
        SessionSpec(DAY2, "11:15", "12:45", "workshop", "Cybersécurité des petites collectivités",
                    room=RHONE, track="Numérique", capacity=60,
                    speakers=[("mod3", "moderator"), ("num3", "speaker"), ("num1", "speaker")]),
        SessionSpec(DAY2, "11:15", "12:45", "workshop",
                    "Accueillir une délégation étrangère : méthodes et écueils",
                    room=GARONNE, track="Coopération", capacity=50, languages="fr,en",
                    speakers=[("mod2", "moderator"), ("coop3", "speaker"), ("coop2", "speaker")]),
        SessionSpec(DAY2, "12:45", "14:00", "meal", "Déjeuner", room=HALL),
        SessionSpec(DAY2, "14:00", "15:30", "sharing", "Restitution des ateliers et regard du grand témoin",
                    room=AMPHI, languages="fr,en",
                    speakers=[("journaliste", "moderator"), ("temoin", "speaker")]),
        SessionSpec(DAY2, "15:30", "16:00", "closing", "Clôture des Rencontres", room=AMPHI,
                    languages="fr,en", speakers=[("pres", "speaker")]),
    ],
)

# English and German titles of the conference's sessions, by French title (welcomes and breaks
# come back every day).
RNIT_TITLES = {
    "Accueil et café": ("Welcome and coffee", "Empfang und Kaffee"),
    "Ouverture des Rencontres": ("Opening of the Meetings", "Eröffnung der Tagung"),
    "Adapter nos territoires à un climat à +4 °C": (
        "Adapting our territories to a +4 °C climate",
        "Unsere Regionen an ein um 4 °C wärmeres Klima anpassen",
    ),
    "Pause": ("Break", "Pause"),
    "Coopérer au-delà des frontières : l'ingénierie territoriale à l'international": (
        "Cooperating across borders: local government engineering abroad",
        "Zusammenarbeit über Grenzen hinweg: kommunale Ingenieurarbeit international",
    ),
    "Déjeuner": ("Lunch", "Mittagessen"),
    "Les ODD et la coopération décentralisée : regards croisés européens": (
        "The SDGs and decentralised cooperation: European perspectives",
        "Die Nachhaltigkeitsziele und dezentrale Zusammenarbeit: europäische Perspektiven",
    ),
    "Mesurer l'empreinte carbone des projets d'infrastructure": (
        "Measuring the carbon footprint of infrastructure projects",
        "Den CO₂-Fußabdruck von Infrastrukturprojekten messen",
    ),
    "Jumeaux numériques du territoire : par où commencer ?": (
        "Digital twins of a territory: where to start?",
        "Digitale Zwillinge der Region: wo anfangen?",
    ),
    "Îlots de chaleur : désimperméabiliser les cours d'école": (
        "Heat islands: unsealing school playgrounds",
        "Hitzeinseln: Schulhöfe entsiegeln",
    ),
    "Mobiliser les acteurs de son territoire pour l'action internationale": (
        "Engaging local stakeholders in international action",
        "Akteure vor Ort für internationales Engagement gewinnen",
    ),
    "Données ouvertes et SIG : mutualiser entre collectivités": (
        "Open data and GIS: pooling resources between local authorities",
        "Offene Daten und GIS: Ressourcen zwischen Kommunen bündeln",
    ),
    "Sobriété numérique et services publics locaux": (
        "Digital sobriety and local public services",
        "Digitale Genügsamkeit und öffentliche Dienste vor Ort",
    ),
    "Partager la ressource en eau entre territoires": (
        "Sharing water resources between territories",
        "Wasserressourcen zwischen Regionen teilen",
    ),
    "Cybersécurité des petites collectivités": (
        "Cybersecurity for small local authorities",
        "Cybersicherheit für kleine Kommunen",
    ),
    "Accueillir une délégation étrangère : méthodes et écueils": (
        "Hosting a foreign delegation: methods and pitfalls",
        "Eine ausländische Delegation empfangen: Methoden und Fallstricke",
    ),
    "Restitution des ateliers et regard du grand témoin": (
        "Workshop feedback and the keynote observer's view",
        "Ergebnisse der Workshops und Blick des Ehrengastes",
    ),
    "Clôture des Rencontres": ("Closing of the Meetings", "Abschluss der Tagung"),
}
RNIT_DESCRIPTIONS = {
    "Adapter nos territoires à un climat à +4 °C": (
        "The reference warming trajectory, and what it changes for networks, buildings and "
        "public spaces.",
        "Der Referenzpfad der Erwärmung und was er für Netze, Gebäude und den öffentlichen Raum "
        "verändert.",
    ),
}
for _spec in RNIT.sessions:
    _en, _de = RNIT_TITLES[_spec.title]
    _spec.translations = {"en": {"title": _en}, "de": {"title": _de}}
    if _spec.title in RNIT_DESCRIPTIONS:
        _spec.translations["en"]["description"], _spec.translations["de"]["description"] = (
            RNIT_DESCRIPTIONS[_spec.title]
        )

DEMO_EVENTS = (Z26IN, RNIT)
