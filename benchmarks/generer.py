"""Données de banc d'essai : un site dédié rempli en quelques minutes, pour tous les bancs d'essai.

	env/bin/python benchmarks/generer.py                    # 100 000 dossiers, 1 000 000 accompagnements sur 5 ans…
	env/bin/python benchmarks/generer.py --reset            # vide les données générées et recommence
	env/bin/python benchmarks/generer.py --echelle 0.05     # essai rapide (5 % des volumes)

Le site (bench.localhost par défaut) est créé au premier lancement comme ./suivi crée les
siens (bench new-site avec le compte d'administration MariaDB de config/db_admin.env, puis
configure_site) et marqué `suivi_benchmark` dans son site_config.json : le script refuse tout autre
site, il ne touche jamais aux sites de démonstration et de test.

Les petits référentiels (structures, utilisateurs et leurs User Permissions, types
d'accompagnement) passent par les documents Frappe, comme dans les tests (tests/factories.py). Les
gros volumes sont écrits par INSERT multi-lignes (executemany de PyMySQL, par paquets), triés par
clé primaire, index secondaires retirés pendant le chargement puis reconstruits, sans les
contrôleurs : les valeurs sont construites pour respecter leurs règles (structure du dossier
recopiée sur l'accompagnement, le rappel et la pièce jointe, types de la même structure, clés de
recherche calculées par suivi_social.utils.identite). Les noms suivent les règles de Frappe
(PREFIXE-00001 pour les dossiers, « hash » de 10 caractères ailleurs) ; la série des dossiers est
mise à jour, de sorte que l'application continue normalement après la génération."""

import argparse
import json
import os
import random
import subprocess
import sys
import time
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

BENCH = Path(__file__).resolve().parent.parent
SITES = BENCH / "sites"
SITE_PAR_DEFAUT = "bench.localhost"
MARQUEUR = "suivi_benchmark"
SITES_INTERDITS = {"suivi.localhost", "tests.localhost"}
MOT_DE_PASSE = "Banc-d-essai-2025"

# (raison sociale, préfixe des dossiers, part des volumes)
STRUCTURES = (("CCAS Banc A", "BANCA", 0.6), ("CIAS Banc B", "BANCB", 0.4))

VOLUMES = {
	"beneficiaires": 100_000,
	"accompagnements": 1_000_000,
	"rappels": 200_000,
	"comptes_rendus": 10_000,
	"fichiers": 20_000,
}

# Répartition des pièces jointes entre les DocTypes protégés (permissions/fichiers.py).
PIECES_JOINTES = (
	("Beneficiaire", 0.45),
	("Accompagnement", 0.40),
	("Rappel", 0.10),
	("Compte Rendu Prive", 0.05),
)

TABLES_GENEREES = (
	"Beneficiaire",
	"Referent Beneficiaire",
	"Entourage Beneficiaire",
	"Ressource Beneficiaire",
	"Accompagnement",
	"Type Accompagnement Lien",
	"Rappel",
	"Compte Rendu Prive",
)

NOMS = (
	"Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre Leroy "
	"Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller "
	"Lefebvre Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia "
	"Perrin Robin Clément Morin Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont "
	"Marie Lemaire Noël Meyer Dufour Meunier Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard "
	"Barbier Arnaud Martinez Gérard Roche Renard Schmitt Roy Leroux Colin Vidal Caron Picard Roger Fabre "
	"Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre Benoît Rey Leclerc Payet "
	"Rolland Leclercq Guillaume Lecomte López Jean Dupuy Guillot Hubert Berger Carpentier Sánchez Dupuis "
	"Moulin Louis Deschamps Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Paris Poirier "
	"Marty Aubry Guyot Carré Charles Renault Charpentier Ménard Maillard Baron Bertin Bailly Hervé "
	"Schneider Fernandez Le Gall Collet Léger Bouvier Julien Prévost Millet Perrot Daniel Le Roux Cousin "
	"Germain Breton Besson Langlois Rémy Le Goff Pelletier Lévêque Perrier Leblanc Barré Lebrun Marchal "
	"Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne Grondin Poulain "
	"Tessier Chevallier Collin Chauvin Da Silva Bouchet Gay Lemaître Bénard Maréchal Humbert Reynaud "
	"Antoine Hoarau Perret Barthélemy Cordier Pichon Lejeune Gilbert Lamy Delaunay Pasquier Carlier Laporte"
).split()
PRENOMS = (
	"Marie Jean Pierre Michel Nathalie Isabelle Sylvie Catherine Philippe Alain Patrick Nicolas Christophe "
	"Françoise Martine Christine Monique Sophie Valérie Sandrine Stéphane Laurent Frédéric Éric David "
	"Julien Céline Aurélie Émilie Camille Léa Manon Chloé Inès Hélène Jacqueline Josiane Gérard Bernard "
	"René Louis Lucas Hugo Nathan Enzo Yanis Karim Fatima Aïcha Mohamed Mamadou Amadou Awa Fatou Nadia "
	"Samia Sarah Thérèse Odette Huguette Raymond Marcel Roger André Jeanne Denise Colette Paulette Yvette "
	"Germaine Simone Lucienne Suzanne Ginette Madeleine Danielle Chantal Brigitte Annie Joëlle Agnès Zoé "
	"Noémie Océane Maëlys Anaïs Clément Théo Maxime Antoine Romain Kevin Jérôme Cédric Mickaël Anthony"
).split()
COMMUNES = (
	("69100", "Villeurbanne"),
	("69001", "Lyon"),
	("38200", "Vienne"),
	("69120", "Vaulx-en-Velin"),
	("69200", "Vénissieux"),
	("38000", "Grenoble"),
	("69500", "Bron"),
	("69800", "Saint-Priest"),
)
# (mode, poids) : les trois derniers sont des rendez-vous par nature (MODES_RENDEZ_VOUS de l'application).
MODES = (
	("Accueil physique spontané", 30),
	("Entretien téléphonique", 25),
	("Courrier", 4),
	("E-mail", 4),
	("Accueil physique sur rendez-vous", 25),
	("Visite à domicile", 8),
	("Rendez-vous extérieur", 4),
)
ISSUES_RENDEZ_VOUS = (("Honoré", 82), ("Non honoré", 18))
# Décision des demandes d'aide (typologies « aide financière ») ; montant accordé, décision et
# paiement en découlent (Accompagnement.validate_aide).
DECISIONS = (
	("Accordée", 50),
	("Accordée partiellement", 15),
	("Refusée", 15),
	("En cours d'instruction", 7),
	("En attente de justificatifs", 6),
	("Ajournée", 4),
	("Classée sans suite", 3),
)
MODES_PAIEMENT = ("Virement", "Chèque", "Bon ou chèque service", "Paiement direct au créancier")
# Champs du dossier que montrent les statistiques, avec une part de « Non renseigné » ("").
SITUATIONS_FAMILIALES = (
	("Célibataire", 35),
	("Marié(e)", 15),
	("Pacsé(e)", 4),
	("En concubinage", 8),
	("Séparé(e)", 8),
	("Divorcé(e)", 12),
	("Veuf ou veuve", 8),
	("", 10),
)
HEBERGEMENTS = (
	("Locataire du parc social", 35),
	("Locataire du parc privé", 20),
	("Propriétaire", 8),
	("Hébergé(e) chez un tiers", 10),
	("Hébergement d'urgence ou CHRS", 5),
	("Résidence autonomie ou logement-foyer", 4),
	("Sans domicile stable", 5),
	("", 13),
)
CATEGORIES = (
	("Salarié(e)", 20),
	("Demandeur(se) d'emploi", 25),
	("Retraité(e)", 25),
	("Sans activité", 12),
	("En invalidité", 5),
	("Étudiant(e)", 3),
	("", 10),
)
# Ressources du foyer (table du dossier) : 0 à 2 lignes par dossier.
RESSOURCES = (
	("RSA", 25),
	("Salaire", 18),
	("Retraite", 18),
	("Indemnités chômage (ARE)", 10),
	("AAH", 7),
	("Prime d'activité", 8),
	("Allocations familiales", 8),
	("APL / aide au logement", 6),
)
STATUTS_ACCOMPAGNEMENT = (
	("Terminé", 60),
	("En cours", 10),
	("À traiter", 15),
	("Planifié", 10),
	("Annulé", 5),
)
STATUTS_BENEFICIAIRE = (("Actif", 80), ("Inactif", 10), ("Archivé", 8), ("Décédé", 2))
STATUTS_RAPPEL = (("À faire", 40), ("Fait", 55), ("Annulé", 5))
TYPES = (
	("Domiciliation", 0),
	("Aide sociale légale : aide ménagère", 0),
	("Accès aux droits", 0),
	("Logement", 0),
	("Accompagnement budgétaire", 0),
	("Instruction RSA", 0),
	("Aide financière d'urgence", 1),
	("Secours alimentaire", 1),
)
TITRES_RAPPEL = (
	"Rappeler pour les justificatifs",
	"Relancer la CAF",
	"Préparer la commission",
	"Vérifier le paiement",
	"Renouveler la domiciliation",
	"Prendre rendez-vous",
)
PIECES = ("avis-imposition", "justificatif-domicile", "piece-identite", "attestation-caf", "quittance-loyer")
PHRASES = (
	"Entretien avec la personne au sujet de sa situation.",
	"Point sur les démarches en cours auprès des organismes.",
	"La personne signale un retard de paiement de ses prestations.",
	"Orientation vers le partenaire compétent, dossier transmis.",
	"Demande d'aide instruite, pièces justificatives fournies.",
	"Visite réalisée, logement en état correct, pas d'urgence.",
)

COLONNES_RESSOURCES = (
	*("name", "creation", "modified", "owner", "modified_by", "parent", "idx", "nature", "montant"),
	*("parenttype", "parentfield"),
)

B32 = "0123456789abcdefghijklmnopqrstuv"
# Cinq ans d'activité, jusqu'au jour des mesures du README (28 novembre 2026) : quatre années
# civiles complètes (2022 à 2025) pour le rapport d'activité annuel, et l'année en cours.
MAINTENANT = datetime(2026, 11, 28, 18, 0, 0)
DEBUT = datetime(2021, 11, 29, 8, 0, 0)


# --- site -----------------------------------------------------------------------------------------


def lire_site_config(site: str) -> dict | None:
	chemin = SITES / site / "site_config.json"
	return json.loads(chemin.read_text()) if chemin.exists() else None


def verifier_site(site: str) -> None:
	if site in SITES_INTERDITS:
		sys.exit(f"{site} n'est pas un site de banc d'essai : choisissez-en un autre (--site).")
	config = lire_site_config(site)
	if config is not None and not config.get(MARQUEUR):
		sys.exit(f"Le site {site} existe mais n'a pas {MARQUEUR} dans son site_config.json : refusé.")


def creer_site(site: str) -> None:
	"""Comme ensure_site dans ./suivi : bench new-site avec le compte MariaDB dédié, puis configure_site."""
	admin = dict(
		ligne.split("=", 1) for ligne in (BENCH / "config/db_admin.env").read_text().split() if "=" in ligne
	)
	suivi = str(BENCH / "suivi")
	print(f"Création du site {site} (1 à 2 minutes)…", flush=True)
	subprocess.run(
		[
			suivi,
			"bench",
			"new-site",
			site,
			"--force",
			"--db-root-username",
			admin["DB_ROOT_USER"],
			"--db-root-password",
			admin["DB_ROOT_PASSWORD"],
			"--admin-password",
			os.environ.get("SUIVI_ADMIN_PASSWORD", "admin"),
			"--install-app",
			"suivi_social",
		],
		check=True,
		stdout=subprocess.DEVNULL,
	)
	subprocess.run([suivi, "bench", "--site", site, "set-config", MARQUEUR, "1"], check=True)
	subprocess.run(
		[suivi, "bench", "--site", site, "execute", "suivi_social.setup.site.configure_site"], check=True
	)


def ouvrir_site(site: str):
	"""Connecte ce processus au site, en Administrator (Frappe écrit ses journaux relativement à sites/)."""
	import frappe

	verifier_site(site)
	if lire_site_config(site) is None:
		sys.exit(f"Site {site} absent : lancez d'abord « env/bin/python benchmarks/generer.py ».")
	os.chdir(SITES)
	frappe.init(site=site, sites_path=str(SITES))
	frappe.connect()
	frappe.set_user("Administrator")
	return frappe


def courriel(role: str, structure: str) -> str:
	lettre = structure[-1].lower()
	return f"{role}-{lettre}@banc.test"


# --- valeurs --------------------------------------------------------------------------------------


class Noms:
	"""Noms « hash » comme ceux de Frappe (4 caractères d'horodatage + 6 aléatoires, base32hex), uniques."""

	def __init__(self, rng: random.Random):
		self.rng = rng
		self.vus: set[str] = set()

	def nouveau(self, instant: datetime) -> str:
		ts = int(instant.timestamp() * 10) % 32**4
		while True:
			alea = self.rng.getrandbits(30)
			nom = "".join(B32[(ts >> s) & 31] for s in (15, 10, 5, 0)) + "".join(
				B32[(alea >> s) & 31] for s in (25, 20, 15, 10, 5, 0)
			)
			if nom not in self.vus:
				self.vus.add(nom)
				return nom


def instant_aleatoire(rng: random.Random, debut: datetime = DEBUT, fin: datetime = MAINTENANT) -> datetime:
	return debut + timedelta(seconds=rng.randrange(int((fin - debut).total_seconds())))


def tirage(rng: random.Random, poids: tuple):
	"""Un tirage pondéré : ((valeur, poids), …) → fonction sans argument."""
	valeurs, ponderations = zip(*poids, strict=True)
	return lambda: rng.choices(valeurs, weights=ponderations)[0]


def iso(instant: datetime) -> str:
	return instant.strftime("%Y-%m-%d %H:%M:%S.%f")


# --- écriture -------------------------------------------------------------------------------------


class Ecrivain:
	"""INSERT multi-lignes par paquets (PyMySQL regroupe un executemany en requêtes d'environ 1 Mo)."""

	def __init__(self, frappe, paquet: int = 5_000, validation: int = 50_000):
		self.frappe = frappe
		self.paquet = paquet
		self.validation = validation
		self.curseur = frappe.db._conn.cursor()
		self.curseur.execute("set session unique_checks = 0")

	def inserer(self, doctype: str, colonnes: tuple[str, ...], lignes) -> int:
		sql = "insert into `tab{}` ({}) values ({})".format(
			doctype, ", ".join(f"`{c}`" for c in colonnes), ", ".join(["%s"] * len(colonnes))
		)
		total, depuis_validation, paquet = 0, 0, []
		for ligne in lignes:
			paquet.append(ligne)
			if len(paquet) >= self.paquet:
				self.curseur.executemany(sql, paquet)
				total += len(paquet)
				depuis_validation += len(paquet)
				paquet = []
				if depuis_validation >= self.validation:
					self.frappe.db.commit()
					depuis_validation = 0
		if paquet:
			self.curseur.executemany(sql, paquet)
			total += len(paquet)
		self.frappe.db.commit()
		return total

	@contextmanager
	def sans_index(self, *doctypes: str):
		"""Index secondaires retirés pendant le chargement puis reconstruits, triés : bien plus rapide
		que de les tenir à jour ligne à ligne quand ils ne tiennent plus en mémoire (buffer pool)."""
		retires = {}
		for doctype in doctypes:
			index = {}
			for r in self.frappe.db.sql(f"show index from `tab{doctype}`", as_dict=True):
				if r.Key_name != "PRIMARY" and r.Non_unique:
					index.setdefault(r.Key_name, []).append((r.Seq_in_index, r.Column_name, r.Sub_part))
			if index:
				self.frappe.db.sql_ddl(
					f"alter table `tab{doctype}` " + ", ".join(f"drop index `{nom}`" for nom in index)
				)
			retires[doctype] = index
		try:
			yield
		finally:
			for doctype, index in retires.items():
				if index:
					self.frappe.db.sql_ddl(
						f"alter table `tab{doctype}` "
						+ ", ".join(
							f"add index `{nom}` ("
							+ ", ".join(f"`{c}`" + (f"({t})" if t else "") for _n, c, t in sorted(colonnes))
							+ ")"
							for nom, colonnes in index.items()
						)
					)


def milliers(n: float) -> str:
	return f"{n:,.0f}".replace(",", " ")


class Chrono:
	def __init__(self):
		self.debut = time.perf_counter()
		self.lignes = 0

	def etape(self, libelle: str, lignes: int, depart: float) -> None:
		duree = time.perf_counter() - depart
		self.lignes += lignes
		print(
			f"  {libelle:<52} {milliers(lignes):>10} lignes {duree:6.1f} s {milliers(lignes / max(duree, 1e-9)):>8} lignes/s",
			flush=True,
		)


# --- génération -----------------------------------------------------------------------------------


def referentiels(frappe) -> dict:
	"""Structures, utilisateurs de chaque rôle (User Permission sur leur structure), types : par l'ORM."""
	sys.path.insert(0, str(BENCH))
	from frappe.utils.password import update_password

	from suivi_social.roles import ADMINISTRATEUR, AGENT_ACCUEIL, RESPONSABLE, TRAVAILLEUR_SOCIAL
	from tests.factories import make_structure, make_type, make_user

	monde = {}
	for raison_sociale, prefixe, part in STRUCTURES:
		make_structure(raison_sociale, prefixe)
		agents = [
			make_user(courriel("resp", raison_sociale), RESPONSABLE, structures=(raison_sociale,)),
			make_user(courriel("ts", raison_sociale), TRAVAILLEUR_SOCIAL, structures=(raison_sociale,)),
			make_user(courriel("ts2", raison_sociale), TRAVAILLEUR_SOCIAL, structures=(raison_sociale,)),
			make_user(courriel("accueil", raison_sociale), AGENT_ACCUEIL, structures=(raison_sociale,)),
		]
		types = [(make_type(raison_sociale, nom, aide_financiere=aide), aide) for nom, aide in TYPES]
		monde[raison_sociale] = {"prefixe": prefixe, "part": part, "agents": agents, "types": types}
	administrateur = make_user("admin-suivi@banc.test", ADMINISTRATEUR)
	for user in [administrateur, *(a for s in monde.values() for a in s["agents"])]:
		update_password(user, MOT_DE_PASSE)
	frappe.db.commit()
	return monde


def agents_de_charge(frappe, nombre: int = 50) -> list[dict]:
	"""The load test's agents (charge.py): `nombre` users split like the files (60 % / 40 %), two
	Travailleurs sociaux for one Agent d'accueil, each restricted to their structure by User
	Permission (the factories of tests/factories.py), password MOT_DE_PASSE: agent-01-a@banc.test…
	The rappels of ts2-<x>@banc.test are shared out between ts2 and the structure's new agents
	(CRC32 of the name: the same split on every run), so that « Mes rappels » counts a real load."""
	sys.path.insert(0, str(BENCH))
	from frappe.utils.password import update_password

	from suivi_social.roles import AGENT_ACCUEIL, TRAVAILLEUR_SOCIAL
	from tests.factories import make_user

	agents = []
	restants = nombre
	for i, (raison_sociale, _prefixe, part) in enumerate(STRUCTURES):
		combien = restants if i == len(STRUCTURES) - 1 else round(nombre * part)
		restants -= combien
		lettre = raison_sociale[-1].lower()
		for n in range(1, combien + 1):
			role = AGENT_ACCUEIL if n % 3 == 0 else TRAVAILLEUR_SOCIAL
			courriel_agent = make_user(
				f"agent-{n:02d}-{lettre}@banc.test", role, structures=(raison_sociale,)
			)
			update_password(courriel_agent, MOT_DE_PASSE)
			agents.append({"user": courriel_agent, "role": role, "structure": raison_sociale})
		partage = [courriel("ts2", raison_sociale)] + [
			a["user"] for a in agents if a["structure"] == raison_sociale and a["role"] == TRAVAILLEUR_SOCIAL
		]
		cas = " ".join(f"when {k} then {frappe.db.escape(u)}" for k, u in enumerate(partage))
		frappe.db.sql(
			f"""update `tabRappel` set assigne_a = case crc32(name) %% {len(partage)} {cas} end
			where structure = %s and assigne_a in %s""",
			(raison_sociale, partage),
		)
	frappe.db.commit()
	return agents


def deja_genere(frappe) -> dict[str, int]:
	return {
		dt: frappe.db.count(dt) for dt in ("Beneficiaire", "Accompagnement", "Rappel", "Compte Rendu Prive")
	} | {"File": frappe.db.count("File", {"attached_to_doctype": ("in", [d for d, _p in PIECES_JOINTES])})}


def vider(frappe) -> None:
	"""Le site est dédié au banc d'essai : les tables des dossiers sont vidées d'un coup."""
	for doctype in TABLES_GENEREES:
		frappe.db.sql_ddl(f"truncate table `tab{doctype}`")
	frappe.db.delete("File", {"attached_to_doctype": ("in", [d for d, _p in PIECES_JOINTES])})
	frappe.db.delete("Series", {"name": ("in", [f"{prefixe}-" for _s, prefixe, _p in STRUCTURES])})
	frappe.db.commit()


def repartir(total: int, monde: dict) -> dict[str, int]:
	structures = list(monde)
	parts = {s: int(total * monde[s]["part"]) for s in structures}
	parts[structures[0]] += total - sum(parts.values())
	return parts


def generer(frappe, volumes: dict[str, int], graine: int) -> None:
	from suivi_social.dossiers.doctype.accompagnement.accompagnement import (
		DECISIONS_ACCORDEES,
		MODES_RENDEZ_VOUS,
	)
	from suivi_social.utils.identite import cle_recherche, telephone_cle

	assert telephone_cle("0612345678") == "+33612345678"

	rng = random.Random(graine)
	noms = Noms(rng)
	ecrivain = Ecrivain(frappe)
	chrono = Chrono()
	print("Référentiels (structures, utilisateurs, types)…", flush=True)
	monde = referentiels(frappe)
	print("Écriture :", flush=True)

	# Dossiers : nommés comme Beneficiaire.autoname (PREFIXE-00001), la série est mise à jour ensuite.
	depart = time.perf_counter()
	dossiers: dict[str, list[tuple[str, str, datetime]]] = {}
	statut_dossier = tirage(rng, STATUTS_BENEFICIAIRE)
	situation, hebergement, categorie = (
		tirage(rng, t) for t in (SITUATIONS_FAMILIALES, HEBERGEMENTS, CATEGORIES)
	)
	ressource = tirage(rng, RESSOURCES)
	ressources: list[tuple] = []
	cles: dict[tuple[str, str], str] = {}

	def lignes_beneficiaires():
		for structure, nombre in repartir(volumes["beneficiaires"], monde).items():
			infos = monde[structure]
			liste = dossiers.setdefault(structure, [])
			creations = sorted(instant_aleatoire(rng) for _ in range(nombre))
			for numero, creation in enumerate(creations, start=1):
				nom, prenom = rng.choice(NOMS), rng.choice(PRENOMS)
				nom_complet = f"{nom.upper()} {prenom}"
				if (nom, prenom) not in cles:
					cles[nom, prenom] = cle_recherche(nom, None, prenom)
				genre = rng.choice(("Femme", "Homme"))
				telephone = f"06{rng.randrange(10**8):08d}" if rng.random() < 0.85 else None
				code_postal, commune = rng.choice(COMMUNES)
				name = f"{infos['prefixe']}-{numero:05d}"
				agent = rng.choice(infos["agents"])
				liste.append((name, nom_complet, creation))
				natures = {ressource() for _ in range(rng.choice((0, 1, 1, 1, 2, 2)))}
				for idx, nature in enumerate(sorted(natures), start=1):
					montant = rng.randrange(200, 1500)
					ressources.append(
						(
							f"{name}-r{idx}",
							iso(creation),
							iso(creation),
							agent,
							agent,
							name,
							idx,
							nature,
							montant,
						)
					)
				yield (
					name,
					iso(creation),
					iso(creation + timedelta(days=rng.randrange(0, 60))),
					agent,
					agent,
					structure,
					statut_dossier(),
					"Madame" if genre == "Femme" else "Monsieur",
					nom,
					prenom,
					nom_complet,
					f"{rng.randrange(1935, 2006)}-{rng.randrange(1, 13):02d}-{rng.randrange(1, 29):02d}",
					genre,
					cles[nom, prenom],
					f"+33{telephone[1:]}" if telephone else "",  # telephone_cle, sans son coût
					f"{rng.randrange(1, 120)} rue de la République",
					code_postal,
					commune,
					telephone,
					0 if telephone else 1,
					situation(),
					hebergement(),
					categorie(),
				)

	with ecrivain.sans_index("Beneficiaire"):
		n = ecrivain.inserer(
			"Beneficiaire",
			(
				"name",
				"creation",
				"modified",
				"owner",
				"modified_by",
				"structure",
				"statut",
				"civilite",
				"nom_usage",
				"prenoms",
				"nom_complet",
				"date_naissance",
				"genre",
				"nom_recherche",
				"telephones_recherche",
				"adresse",
				"code_postal",
				"commune",
				"telephone",
				"sans_telephone",
				"situation_familiale",
				"mode_hebergement",
				"categorie_socio_professionnelle",
			),
			lignes_beneficiaires(),
		)
	n_ressources = ecrivain.inserer(
		"Ressource Beneficiaire",
		COLONNES_RESSOURCES,
		((*ligne, "Beneficiaire", "ressources") for ligne in ressources),
	)
	ressources.clear()
	for structure, liste in dossiers.items():
		prefixe = f"{monde[structure]['prefixe']}-"
		frappe.db.sql(
			"insert into `tabSeries` (`name`, `current`) values (%s, %s) "
			"on duplicate key update `current` = greatest(`current`, values(`current`))",
			(prefixe, len(liste)),
		)
	frappe.db.commit()
	chrono.etape(
		f"Bénéficiaires ({milliers(n)}) et leurs ressources ({milliers(n_ressources)})",
		n + n_ressources,
		depart,
	)
	# L'index de la recherche de l'accueil (suivi_social/accueil/jetons.py), rempli comme le fait
	# le patch index_recherche_accueil pour un site existant.
	from suivi_social.accueil import jetons

	depart = time.perf_counter()
	chrono.etape("Index de la recherche (dossiers indexés)", jetons.reconstruire(), depart)

	# Accompagnements et leurs lignes de types, dans l'ordre de la clé primaire.
	depart = time.perf_counter()
	accompagnements: dict[str, list[tuple[str, str, str, str]]] = {}
	statut_acc = tirage(rng, STATUTS_ACCOMPAGNEMENT)
	a_ecrire = []
	for structure, nombre in repartir(volumes["accompagnements"], monde).items():
		for _ in range(nombre):
			creation = instant_aleatoire(rng)
			a_ecrire.append((noms.nouveau(creation), creation, structure))
	a_ecrire.sort()
	liens = []
	mode_acc, issue_rdv, decision_aide = (tirage(rng, t) for t in (MODES, ISSUES_RENDEZ_VOUS, DECISIONS))
	aujourd_hui = MAINTENANT.date()

	def rendez_vous(statut: str, mode: str) -> tuple[int, str | None]:
		"""Comme Accompagnement.validate_rendez_vous : (sur rendez-vous, issue)."""
		if mode not in MODES_RENDEZ_VOUS and statut != "Planifié":
			return 0, None
		if statut == "Annulé":
			return 1, "Annulé"
		return 1, None if statut == "Planifié" else issue_rdv()

	def aide_financiere(jour) -> tuple:
		"""Comme Accompagnement.validate_aide : (demandé, décision, date de décision, accordé, date
		et mode de paiement), décision et paiement jamais après aujourd'hui."""
		demande = rng.choice((80, 100, 150, 200, 250, 300, 400, 500, 800))
		decision, date_decision, accorde, date_paiement, mode_paiement = decision_aide(), None, 0, None, None
		if decision in (*DECISIONS_ACCORDEES, "Refusée"):
			date_decision = jour + timedelta(days=rng.randrange(3, 45))
			if date_decision > aujourd_hui:
				decision, date_decision = "En cours d'instruction", None
		if decision == "Accordée":
			accorde = demande
		elif decision == "Accordée partiellement":
			accorde = round(demande * rng.choice((0.5, 0.6, 0.75, 0.8)))
		if decision in DECISIONS_ACCORDEES and rng.random() < 0.85:
			date_paiement = date_decision + timedelta(days=rng.randrange(0, 21))
			if date_paiement > aujourd_hui:
				date_paiement = None
			else:
				mode_paiement = rng.choice(MODES_PAIEMENT)
		return demande, decision, date_decision, accorde, date_paiement, mode_paiement

	def lignes_accompagnements():
		for name, creation, structure in a_ecrire:
			infos = monde[structure]
			dossier, nom_complet, _c = rng.choice(dossiers[structure])
			agent = rng.choice(infos["agents"])
			types = rng.sample(infos["types"], 2 if rng.random() < 0.15 else 1)
			aide = int(any(a for _t, a in types))
			statut, mode, jour = statut_acc(), mode_acc(), creation.date()
			if statut == "Planifié":
				# Un rendez-vous pris pour les semaines suivantes ; passé depuis un mois, il a eu lieu.
				jour += timedelta(days=rng.randrange(1, 45))
				if jour < aujourd_hui - timedelta(days=30):
					statut = "Terminé"
			sur_rdv, issue = rendez_vous(statut, mode)
			demande, decision, date_decision, accorde, date_paiement, mode_paiement = (
				aide_financiere(jour) if aide else (0, None, None, 0, None, None)
			)
			for idx, (typ, _a) in enumerate(types, start=1):
				liens.append((f"{name}{idx}", iso(creation), iso(creation), agent, agent, typ, name, idx))
			accompagnements.setdefault(structure, []).append((name, dossier, nom_complet, agent))
			yield (
				name,
				iso(creation),
				iso(creation + timedelta(hours=rng.randrange(0, 24 * 30))),
				agent,
				agent,
				dossier,
				nom_complet,
				structure,
				aide,
				jour,
				f"{rng.randrange(8, 18):02d}:{rng.choice(('00', '30'))}:00" if sur_rdv else None,
				mode,
				agent,
				statut,
				"<p>" + " ".join(rng.sample(PHRASES, 3)) + "</p>" if rng.random() < 0.7 else None,
				demande,
				sur_rdv,
				issue,
				decision,
				date_decision,
				accorde,
				date_paiement,
				mode_paiement,
				# Accompagnement.resumer_types
				types[0][0] if len(types) == 1 else None,
				int(len(types) > 1),
			)

	colonnes_liens = (
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"type_accompagnement",
		"parent",
		"idx",
		"parenttype",
		"parentfield",
	)

	def vider_liens():
		lignes = [(*lien, "Accompagnement", "types_accompagnement") for lien in liens]
		liens.clear()
		return ecrivain.inserer("Type Accompagnement Lien", colonnes_liens, lignes)

	colonnes_acc = (
		"name",
		"creation",
		"modified",
		"owner",
		"modified_by",
		"beneficiaire",
		"nom_beneficiaire",
		"structure",
		"aide_financiere",
		"date",
		"heure",
		"mode",
		"agent",
		"statut",
		"compte_rendu",
		"montant_demande",
		"rendez_vous",
		"issue_rendez_vous",
		"decision",
		"date_decision",
		"montant_accorde",
		"date_paiement",
		"mode_paiement",
		"typologie_seule",
		"plusieurs_typologies",
	)
	n, n_liens, tranche = 0, 0, 100_000
	generateur = lignes_accompagnements()
	with ecrivain.sans_index("Accompagnement", "Type Accompagnement Lien"):
		while True:
			lot = [ligne for _i, ligne in zip(range(tranche), generateur, strict=False)]
			if not lot:
				break
			n += ecrivain.inserer("Accompagnement", colonnes_acc, lot)
			n_liens += vider_liens()
	del a_ecrire
	chrono.etape(f"Accompagnements ({milliers(n)}) et leurs types ({milliers(n_liens)})", n + n_liens, depart)

	# Rappels : la moitié porte sur un accompagnement (et donc sur son dossier).
	depart = time.perf_counter()
	statut_rappel = tirage(rng, STATUTS_RAPPEL)
	a_ecrire = []
	for structure, nombre in repartir(volumes["rappels"], monde).items():
		for _ in range(nombre):
			creation = instant_aleatoire(rng)
			a_ecrire.append((noms.nouveau(creation), creation, structure))
	a_ecrire.sort()
	rappels: dict[str, list[str]] = {}

	def lignes_rappels():
		for name, creation, structure in a_ecrire:
			infos = monde[structure]
			accompagnement = None
			if rng.random() < 0.5:
				accompagnement, dossier, nom_complet, _agent = rng.choice(accompagnements[structure])
			else:
				dossier, nom_complet, _c = rng.choice(dossiers[structure])
			agent = rng.choice(infos["agents"])
			rappels.setdefault(structure, []).append(name)
			yield (
				name,
				iso(creation),
				iso(creation + timedelta(days=rng.randrange(0, 30))),
				agent,
				agent,
				rng.choice(TITRES_RAPPEL),
				(creation + timedelta(days=rng.randrange(1, 90))).strftime("%Y-%m-%d"),
				rng.choice(infos["agents"]),
				statut_rappel(),
				rng.choice(("Normale", "Normale", "Haute", "Basse")),
				structure,
				dossier,
				nom_complet,
				accompagnement,
			)

	with ecrivain.sans_index("Rappel"):
		n = ecrivain.inserer(
			"Rappel",
			(
				"name",
				"creation",
				"modified",
				"owner",
				"modified_by",
				"titre",
				"date_echeance",
				"assigne_a",
				"statut",
				"priorite",
				"structure",
				"beneficiaire",
				"nom_beneficiaire",
				"accompagnement",
			),
			lignes_rappels(),
		)
	del a_ecrire
	chrono.etape("Rappels", n, depart)

	# Comptes rendus privés : écrits par l'agent de l'accompagnement, parfois délégués à un collègue.
	depart = time.perf_counter()
	a_ecrire = []
	for structure, nombre in repartir(volumes["comptes_rendus"], monde).items():
		for _ in range(nombre):
			creation = instant_aleatoire(rng)
			a_ecrire.append((noms.nouveau(creation), creation, structure))
	a_ecrire.sort()
	comptes_rendus: dict[str, list[tuple[str, str]]] = {}

	def lignes_comptes_rendus():
		for name, creation, structure in a_ecrire:
			accompagnement, _d, _n, auteur = rng.choice(accompagnements[structure])
			autres = [a for a in monde[structure]["agents"] if a != auteur]
			comptes_rendus.setdefault(structure, []).append((name, auteur))
			yield (
				name,
				iso(creation),
				iso(creation),
				auteur,
				auteur,
				accompagnement,
				structure,
				auteur,
				rng.choice(autres) if rng.random() < 0.2 else None,
				"<p>" + " ".join(rng.sample(PHRASES, 2)) + "</p>",
			)

	n = ecrivain.inserer(
		"Compte Rendu Prive",
		(
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"accompagnement",
			"structure",
			"auteur",
			"delegue",
			"texte",
		),
		lignes_comptes_rendus(),
	)
	del a_ecrire
	chrono.etape("Comptes rendus privés", n, depart)

	# Pièces jointes : privées, dans Home/Attachments, déposées par un agent de la structure.
	depart = time.perf_counter()
	cibles = {
		"Beneficiaire": {s: [d[0] for d in liste] for s, liste in dossiers.items()},
		"Accompagnement": {s: [a[0] for a in liste] for s, liste in accompagnements.items()},
		"Rappel": rappels,
		"Compte Rendu Prive": {s: [c[0] for c in liste] for s, liste in comptes_rendus.items()},
	}
	doctype_piece = tirage(rng, PIECES_JOINTES)
	a_ecrire = []
	for structure, nombre in repartir(volumes["fichiers"], monde).items():
		for _ in range(nombre):
			creation = instant_aleatoire(rng, MAINTENANT - timedelta(days=365))
			a_ecrire.append((noms.nouveau(creation), creation, structure))
	a_ecrire.sort()

	def lignes_fichiers():
		for name, creation, structure in a_ecrire:
			doctype = doctype_piece()
			if not cibles[doctype].get(structure):
				doctype = "Beneficiaire"
			file_name = f"{rng.choice(PIECES)}-{name}.pdf"
			owner = rng.choice(monde[structure]["agents"])
			yield (
				name,
				iso(creation),
				iso(creation),
				owner,
				owner,
				file_name,
				f"/private/files/{file_name}",
				1,
				"PDF",
				rng.randrange(30_000, 2_000_000),
				"Home/Attachments",
				doctype,
				rng.choice(cibles[doctype][structure]),
				f"{rng.getrandbits(128):032x}",
				structure,  # ce que fait permissions/fichiers.py (renseigner_structure) à l'enregistrement
			)

	n = ecrivain.inserer(
		"File",
		(
			"name",
			"creation",
			"modified",
			"owner",
			"modified_by",
			"file_name",
			"file_url",
			"is_private",
			"file_type",
			"file_size",
			"folder",
			"attached_to_doctype",
			"attached_to_name",
			"content_hash",
			"structure_rattachement",
		),
		lignes_fichiers(),
	)
	chrono.etape("Pièces jointes (File)", n, depart)

	depart = time.perf_counter()
	for doctype in (*TABLES_GENEREES, "File"):
		frappe.db.sql(f"analyze table `tab{doctype}`")
	print(f"  {'ANALYZE TABLE':<52} {'':>17} {time.perf_counter() - depart:6.1f} s")
	duree = time.perf_counter() - chrono.debut
	print(
		f"Total : {milliers(chrono.lignes)} lignes en {duree:.0f} s, soit {milliers(chrono.lignes / duree)} lignes/s "
		"(référentiels et reconstruction des index compris)."
	)


def main() -> None:
	parser = argparse.ArgumentParser(
		description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
	)
	parser.add_argument("--site", default=SITE_PAR_DEFAUT)
	parser.add_argument("--reset", action="store_true", help="vider les données générées et recommencer")
	parser.add_argument("--echelle", type=float, default=1.0, help="facteur appliqué à tous les volumes")
	parser.add_argument("--graine", type=int, default=2025, help="graine du générateur aléatoire")
	for cle, valeur in VOLUMES.items():
		parser.add_argument(
			f"--{cle.replace('_', '-')}", type=int, help=f"défaut : {valeur:,}".replace(",", " ")
		)
	args = parser.parse_args()
	volumes = {
		cle: getattr(args, cle) if getattr(args, cle) is not None else max(1, int(valeur * args.echelle))
		for cle, valeur in VOLUMES.items()
	}

	verifier_site(args.site)
	if lire_site_config(args.site) is None:
		creer_site(args.site)
	frappe = ouvrir_site(args.site)
	try:
		existant = deja_genere(frappe)
		if args.reset:
			vider(frappe)
		elif existant["Beneficiaire"]:
			print(f"Données déjà générées sur {args.site} : {existant}. --reset pour recommencer.")
			return
		print(f"Site {args.site} : {volumes}", flush=True)
		generer(frappe, volumes, args.graine)
	finally:
		frappe.destroy()


if __name__ == "__main__":
	main()
