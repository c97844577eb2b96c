"""Three years of a CCAS for the demo site: about 280 fictitious files in the two demo structures
(most at the CCAS de Démoville), their accompaniments in every typology of the structure, aid
requests at every stage (requested, waiting for documents, under review, before the commission,
granted, refused, adjourned, paid), the agents' appointments of this week and the next two (today's
too, for Karim Benali), and their rappels (late, due today, this week, later, done).

The people are drawn by a seeded random generator from lists of French first and last names,
streets and communes: the same demo every time, no real person. Ages, family situations,
resources, housing and typologies follow the proportions a CCAS sees (young adults and families
for the emergency aids and the RSA, older people for the APA, the ASPA and the visits); every date
is relative to the day the demo is built, spread over the last three years, so that the workspace's
charts, the yearly report and the calendar show something.

Written by the legacy import's bulk writer (imports/ecriture.py), which runs each record's
controller and Frappe's checks, names the files from the structure's series, indexes them for the
reception search (accueil/jetons.py) and invalidates the kept yearly reports
(statistiques/memoire.py), in one INSERT per table instead of one `insert()` per record (a few
seconds instead of a minute). What it writes is returned for the demo's registry, so that
`clear_demo_data` deletes it (:func:`effacer`), search index included.
"""

import datetime
import random
from datetime import timedelta

import frappe
from frappe.utils import add_days, escape_html, get_datetime, get_last_day_of_week, getdate, now_datetime

from suivi_social.imports.analyse import IMPORTEE, LigneImport, Personne, Plan
from suivi_social.imports.ecriture import Ecrivain, Transaction

GRAINE = 11  # issue 11

KARIM, CLAIRE, JULIE = "travailleur@ccas-demo.fr", "responsable@ccas-demo.fr", "julie.petit@ccas-demo.fr"
INES = "travailleur@cias-valfictif.fr"

# (structure, number of files, référents with their share, communes with their share, postcode)
STRUCTURES = [
	(
		"CCAS de Démoville",
		240,
		[(KARIM, 6), (JULIE, 3), (CLAIRE, 1)],
		[
			("Démoville", "69100", 60),
			("Villeneuve-sur-Démo", "69110", 15),
			("Saint-Fictif", "69120", 12),
			("Les Essarts-Fictifs", "69130", 8),
			("Montfictif", "69140", 5),
		],
	),
	(
		"CIAS du Val Fictif",
		36,
		[(INES, 1)],
		[
			("Fictif-le-Val", "38200", 50),
			("Saint-Val", "38210", 20),
			("La Combe-Fictive", "38220", 15),
			("Val-d'Imagine", "38230", 15),
		],
	),
]

# None of the surnames of the hand-written demo files (the README, the browser tests and the demo's
# own lookups name them), nor one letter away from them.
NOMS = (
	(
		"Martin Bernard Thomas Petitjean Robert Richard Durand Dubois Moreau Laurent Simon Michel Leroy "
		"Roux David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent "
		"Muller Faure André Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier "
		"Lopez Gaillard Brunet Schmitt Meyer Denis Robin Lemaire Duval Joly Gautier Roger Roche Roy "
		"Noël Meunier Lucas Brun Barbier Arnaud Martinez Gérard Rolland Leclerc Renard Caron Benoît "
		"Rivière Le Gall Guillaume Hamon Masson Marchand Dumas Bouvier Hubert Mallet Diallo Traoré "
		"Benhamou Haddad Mansouri Belkacem Ferreira Da Silva Pereira Kovačević Nowak Yılmaz Tran "
		"Pham Le Goff Kerjean Salaün Ortiz Sanchez Bouchard Perret Tessier Marty Besson Charpentier"
	)
	.replace("Le Gall", "Le_Gall")
	.replace("Da Silva", "Da_Silva")
	.replace("Le Goff", "Le_Goff")
	.split()
)
NOMS = [n.replace("_", " ") for n in NOMS]
PRENOMS_F = (
	"Marie Nathalie Isabelle Sylvie Catherine Françoise Martine Christine Monique Sandrine Valérie "
	"Céline Julie Camille Laura Manon Chloé Emma Inès Sarah Léa Océane Amandine Jessica Mélanie "
	"Fatima Khadija Nadia Leïla Awa Aminata Mariam Yasmine Ana Maria Jeanne Simone Denise Yvette "
	"Colette Josette Huguette Paulette Ginette Louise Jade Lina Elodie Audrey Stéphanie Virginie"
).split()
PRENOMS_H = (
	"Jean Pierre Michel André Philippe Alain Bernard Patrick Daniel Christophe Nicolas Sébastien "
	"Julien Kévin Thomas Lucas Hugo Enzo Mathis Nathan Rayan Mohamed Ahmed Karim Youssef Mehdi "
	"Bilal Mamadou Ibrahima Oumar Sékou João Carlos Marcel Roger René Lucien Raymond Gilbert "
	"Maurice Henri Louis Gabriel Antoine Maxime Jérémy Anthony Dylan Samuel David Franck"
).split()
RUES = (
	"rue Victor-Hugo|avenue Jean-Jaurès|rue de la République|place de la Mairie|rue Pasteur|"
	"allée des Tilleuls|rue des Écoles|chemin du Moulin|boulevard Gambetta|rue Jules-Ferry|"
	"impasse des Lilas|rue du 8-Mai-1945|résidence Les Érables, bât. B|rue de la Gare|"
	"avenue des Platanes|rue Émile-Zola|cité des Jardins|rue Louise-Michel|rue du Stade|"
	"route de Lyon|rue Jean-Moulin|résidence Le Parc, bât. A|rue Georges-Brassens|quai de la Démo"
).split("|")

# Typologies by the age of the person (the catalogue's names, structures/catalogue.py); those of a
# structure outside these lists (its own, an import's) are drawn at any age.
JEUNES = (
	"Aide au permis",
	"Accompagnement social",
	"Aide alimentaire",
	"Aide financière d'urgence : alimentaire",
	"Logement d'urgence",
	"Accès aux droits / inclusion numérique",
	"Complémentaire santé solidaire (CSS)",
	"Domiciliation",
)
ADULTES = (
	"RSA",
	"RSA",
	"Accompagnement social",
	"Accompagnement social",
	"Domiciliation",
	"Aide financière d'urgence : énergie",
	"Aide financière d'urgence : loyer",
	"Aide financière d'urgence : alimentaire",
	"Aide financière d'urgence : autre",
	"Aide alimentaire",
	"Complémentaire santé solidaire (CSS)",
	"AME",
	"PUMA",
	"Logement d'urgence",
	"Accès aux droits / inclusion numérique",
	"Aide sociale légale : obligation alimentaire",
)
AINES = (
	"APA",
	"APA",
	"ASPA",
	"Visites de convivialité",
	"Visites de convivialité",
	"Aide sociale légale : aide ménagère",
	"Aide sociale légale : hébergement en EHPAD",
	"Entrée en établissement",
	"Aide financière d'urgence : énergie",
	"Accès aux droits / inclusion numérique",
	"Complémentaire santé solidaire (CSS)",
	"Accompagnement social",
)
A_DOMICILE = {
	"APA",
	"Visites de convivialité",
	"Aide sociale légale : aide ménagère",
	"Entrée en établissement",
}

RDV, SPONTANE, TEL, VAD = (
	"Accueil physique sur rendez-vous",
	"Accueil physique spontané",
	"Entretien téléphonique",
	"Visite à domicile",
)
MODES = [(RDV, 40), (SPONTANE, 28), (TEL, 22), ("Courrier", 4), ("E-mail", 3), ("Rendez-vous extérieur", 3)]
RENDEZ_VOUS = (RDV, VAD, "Rendez-vous extérieur")

OBJETS = {
	"RSA": ["Ouverture des droits au RSA", "Contrat d'engagement réciproque", "Déclaration trimestrielle"],
	"Domiciliation": ["Élection de domicile", "Renouvellement de la domiciliation", "Retrait du courrier"],
	"APA": ["Demande d'APA à domicile", "Révision du plan d'aide", "Évaluation de la dépendance"],
	"ASPA": ["Demande d'ASPA auprès de la caisse de retraite"],
	"Visites de convivialité": ["Visite de convivialité", "Point sur l'isolement"],
	"Aide alimentaire": ["Orientation vers l'épicerie solidaire", "Colis alimentaire"],
	"Logement d'urgence": ["Mise à l'abri", "Demande SIAO", "Recherche d'hébergement"],
}
OBJET_AIDE = ["Demande d'aide financière", "Dossier pour la commission", "Facture impayée"]
OBJET_AUTRE = ["Point sur la situation", "Constitution du dossier", "Orientation vers un partenaire"]
COMPTES_RENDUS = [
	"Situation stable, la personne a apporté les justificatifs demandés.",
	"Difficultés avec le bailleur : orientation vers l'ADIL.",
	"Budget à revoir ensemble, prochain point dans un mois.",
	"La personne souhaite être accompagnée pour ses démarches en ligne.",
	"Droits ouverts, le dossier peut être clôturé.",
	"Relais pris avec l'assistante sociale du Département.",
]

# Amounts requested by emergency aid (minimum, maximum, step)
MONTANTS = {
	"alimentaire": (50, 200, 10),
	"énergie": (100, 450, 10),
	"loyer": (200, 900, 50),
	"permis": (400, 1000, 50),
}
DECISIONS = [
	("Accordée", 55),
	("Accordée partiellement", 20),
	("Refusée", 15),
	("Ajournée", 5),
	("Classée sans suite", 5),
]
MOTIFS_REFUS = [
	"Ressources au-dessus du barème",
	"Dossier incomplet",
	"Aide déjà accordée dans l'année",
	"Relève d'un autre dispositif (FSL)",
]
ORGANISMES = ["CAF", "FSL du Département", "Caisse de retraite", "Banque alimentaire"]
PAIEMENTS = [
	("Virement", 50),
	("Paiement direct au créancier", 30),
	("Bon ou chèque service", 15),
	("Chèque", 5),
]

TITRES_RAPPELS = [
	"Relancer la CAF",
	"Vérifier le versement de l'aide",
	"Demander l'avis d'imposition",
	"Préparer le passage en commission",
	"Renouveler l'attestation de domiciliation",
	"Envoyer le dossier APA au Département",
	"Relancer le bailleur",
	"Contrôler les justificatifs de ressources",
	"Transmettre le dossier FSL",
	"Appeler la mutuelle",
	"Faire le point avec l'assistante sociale de secteur",
	"Rappeler pour fixer un rendez-vous",
]
# Rappels per agent: (late, due today, later this week, in the coming weeks, done)
RAPPELS = {KARIM: (4, 2, 4, 3, 10), CLAIRE: (2, 1, 2, 2, 4), JULIE: (1, 0, 2, 1, 3), INES: (2, 1, 2, 1, 3)}

# Appointments per working day, this week and the two next (Julie Petit's after her absence).
RENDEZ_VOUS_PAR_JOUR = {KARIM: 2, CLAIRE: 1, JULIE: 1, INES: 1}
# Karim Benali's appointments today, the demo's social worker (the Accueil and his calendar).
RENDEZ_VOUS_DU_JOUR = ("09:30", "11:00", "14:30")
HEURES = ("09:00", "10:00", "11:00", "14:00", "15:00", "16:00")


def pondere(rng: random.Random, choix: list[tuple]):
	return rng.choices([c[0] for c in choix], weights=[c[-1] for c in choix])[0]


class EcrivainDeDemonstration(Ecrivain):
	"""The import's writer without what belongs to a workbook: no fingerprint of a workbook's row
	(Ligne Importee) is written; the accompaniments written are kept for the demo's registry."""

	def __init__(self, *args, **kwargs):
		super().__init__(*args, **kwargs)
		self.accompagnements_ecrits: list[str] = []

	def _enregistrer(self, ligne, accompagnements: list[str]) -> None:
		self.accompagnements_ecrits.extend(accompagnements)


class Generateur:
	def __init__(
		self, structure: str, nombre: int, referents: list, communes: list, jour: datetime.date, agendas
	):
		self.agendas = agendas
		self.structure, self.nombre, self.referents, self.communes = structure, nombre, referents, communes
		self.jour = jour
		self.rng = random.Random(f"{GRAINE}:{structure}")
		self.typologies = {
			t.nom: t
			for t in frappe.get_all(
				"Type Accompagnement",
				filters={"structure": structure, "actif": 1},
				fields=["name", "nom", "aide_financiere"],
				order_by="nom",
			)
		}
		self.personnes: list[frappe._dict] = []

	# --- People -----------------------------------------------------------------------------

	def generer(self) -> list[frappe._dict]:
		for i in range(self.nombre):
			self.personnes.append(self.personne(i))
		self.couvrir_les_typologies()
		return self.personnes

	def personne(self, i: int) -> frappe._dict:
		rng = self.rng
		genre = pondere(rng, [("Femme", 58), ("Homme", 40), ("", 2)])
		age = pondere(
			rng,
			[
				(rng.randint(18, 25), 12),
				(rng.randint(26, 40), 26),
				(rng.randint(41, 60), 30),
				(rng.randint(61, 75), 17),
				(rng.randint(76, 96), 15),
			],
		)
		prenoms = rng.choice(PRENOMS_H if genre == "Homme" else PRENOMS_F)
		nom = rng.choice(NOMS)
		commune, code_postal = pondere(rng, [(c[:2], c[2]) for c in self.communes])
		naissance = add_days(self.jour, -(age * 365 + rng.randint(0, 364)))
		situation = self.situation(age)
		# Opened in the last three years, more of them recently (the CCAS's activity grows).
		ouverture = add_days(self.jour, -(int(1090 * rng.random() ** 1.15) + 2))
		valeurs = {
			"civilite": {"Femme": "Madame", "Homme": "Monsieur"}.get(genre, ""),
			"nom_usage": nom,
			"prenoms": prenoms,
			"genre": genre,
			"date_naissance": str(naissance),
			"lieu_naissance": rng.choice(
				[
					"Lyon",
					"Grenoble",
					"Saint-Étienne",
					"Marseille",
					"Paris",
					"Alger",
					"Dakar",
					"Porto",
					"Bamako",
					"",
				]
			),
			"nationalite": pondere(
				rng, [("Française", 80), ("Union européenne", 7), ("Hors Union européenne", 12), ("", 1)]
			),
			"adresse": f"{rng.randint(1, 120)} {rng.choice(RUES)}",
			"commune": commune,
			"code_postal": code_postal,
			"situation_familiale": situation,
			"enfants_mineurs": self.enfants(age, situation),
			"mode_hebergement": self.hebergement(age),
			"mobilite": pondere(
				rng,
				[
					("Transports en commun", 45),
					("Véhicule personnel", 25),
					("Sans moyen de transport", 15),
					("Mobilité réduite", 10 if age > 70 else 2),
					("Permis sans véhicule", 5),
				],
			),
			"mode_orientation": pondere(
				rng,
				[
					("Venue spontanée", 50),
					("Orientation par un partenaire", 30),
					("Famille ou entourage", 10),
					("Signalement", 5),
					("Élu(e)", 3),
					("Autre", 2),
				],
			),
			"categorie_socio_professionnelle": self.csp(age),
			"date_information_rgpd": str(ouverture),
			"ressources": self.ressources(age, situation),
		}
		if rng.random() < 0.88:
			valeurs["telephone"] = (
				f"06 {20 + i // 100:02d} {i % 100:02d} {rng.randint(10, 99)} {rng.randint(10, 99)}"
			)
			if rng.random() < 0.2:
				valeurs.update(consentement_rappel_sms=1, date_consentement_sms=str(ouverture))
		else:
			valeurs["sans_telephone"] = 1
		if rng.random() < 0.45:
			valeurs["numero_caf_msa"] = str(rng.randint(1000000, 9999999))
		if age >= 65:
			valeurs["gir"] = pondere(
				rng, [("GIR 2", 5), ("GIR 3", 10), ("GIR 4", 30), ("GIR 5", 20), ("GIR 6", 15), ("", 20)]
			)
			if rng.random() < 0.12:
				valeurs["mesure_protection"] = pondere(
					rng,
					[
						("Curatelle simple", 2),
						("Curatelle renforcée", 2),
						("Tutelle", 1),
						("Habilitation familiale", 1),
					],
				)
		if situation in ("Marié(e)", "Pacsé(e)", "En concubinage") and rng.random() < 0.5:
			valeurs["entourage"] = [
				{
					"lien": "Conjoint(e)",
					"nom": f"{rng.choice(PRENOMS_H if genre == 'Femme' else PRENOMS_F)} {nom}",
					"heberge": 1,
				}
			]
		elif age > 75 and rng.random() < 0.5:
			valeurs["entourage"] = [
				{"lien": "Enfant", "nom": f"{rng.choice(PRENOMS_F + PRENOMS_H)} {nom}", "aidant": 1}
			]
		referent = pondere(rng, self.referents)
		accompagnements = self.parcours(age, ouverture, referent)
		self.statut(valeurs, age, accompagnements)
		return frappe._dict(
			valeurs=valeurs, referent=referent, age=age, ouverture=ouverture, accompagnements=accompagnements
		)

	def situation(self, age: int) -> str:
		if age < 26:
			choix = [("Célibataire", 70), ("En concubinage", 20), ("Pacsé(e)", 5), ("", 5)]
		elif age < 61:
			choix = [
				("Célibataire", 32),
				("Marié(e)", 14),
				("Pacsé(e)", 5),
				("En concubinage", 10),
				("Séparé(e)", 12),
				("Divorcé(e)", 20),
				("", 7),
			]
		else:
			choix = [
				("Veuf ou veuve", 38),
				("Marié(e)", 25),
				("Divorcé(e)", 15),
				("Célibataire", 15),
				("", 7),
			]
		return pondere(self.rng, choix)

	def enfants(self, age: int, situation: str) -> int:
		if age > 55 or age < 19:
			return 0
		return pondere(self.rng, [(0, 45), (1, 22), (2, 18), (3, 10), (4, 5)])

	def hebergement(self, age: int) -> str:
		if age >= 76:
			choix = [
				("Propriétaire", 30),
				("Locataire du parc social", 30),
				("Locataire du parc privé", 15),
				("Résidence autonomie ou logement-foyer", 15),
				("EHPAD ou établissement", 5),
				("", 5),
			]
		else:
			choix = [
				("Locataire du parc social", 38),
				("Locataire du parc privé", 25),
				("Hébergé(e) chez un tiers", 14),
				("Hébergement d'urgence ou CHRS", 6),
				("Sans domicile stable", 6),
				("Propriétaire", 6),
				("Habitat mobile", 1),
				("", 4),
			]
		return pondere(self.rng, choix)

	def csp(self, age: int) -> str:
		if age >= 62:
			return "Retraité(e)"
		if age < 22:
			return pondere(
				self.rng, [("Étudiant(e)", 30), ("Demandeur(se) d'emploi", 40), ("Sans activité", 30)]
			)
		return pondere(
			self.rng,
			[
				("Salarié(e)", 28),
				("Demandeur(se) d'emploi", 32),
				("Sans activité", 22),
				("En invalidité", 8),
				("Indépendant(e)", 5),
				("", 5),
			],
		)

	def ressources(self, age: int, situation: str) -> list[dict]:
		rng = self.rng
		if age >= 62:
			lignes = [{"nature": "Retraite", "montant": rng.randrange(650, 1700, 10)}]
			if lignes[0]["montant"] < 1000 and rng.random() < 0.5:
				lignes.append({"nature": "ASPA / minimum vieillesse", "montant": rng.randrange(100, 400, 10)})
		else:
			nature = pondere(
				rng,
				[
					("RSA", 35),
					("Salaire", 25),
					("Indemnités chômage (ARE)", 18),
					("AAH", 10),
					("Pension d'invalidité", 4),
					("", 8),
				],
			)
			if not nature:
				return []
			montants = {
				"RSA": (560, 900),
				"Salaire": (700, 1800),
				"Indemnités chômage (ARE)": (600, 1300),
				"AAH": (900, 1016),
				"Pension d'invalidité": (400, 1100),
			}
			lignes = [{"nature": nature, "montant": rng.randrange(*montants[nature], 10)}]
			if nature == "Salaire" and rng.random() < 0.5:
				lignes.append({"nature": "Prime d'activité", "montant": rng.randrange(80, 300, 10)})
		if rng.random() < 0.45:
			lignes.append({"nature": "APL / aide au logement", "montant": rng.randrange(150, 420, 10)})
		return lignes

	def statut(self, valeurs: dict, age: int, accompagnements: list) -> None:
		"""Files without contact for long are inactive, some archived by their référent; a few older
		persons have died. Those without contact for more than two years are what the retention's
		dry run proposes to archive (rgpd/conservation.py)."""
		dernier = max(getdate(a["date"]) for _t, a in accompagnements)
		silence = (self.jour - dernier).days
		if age > 80 and silence > 60 and self.rng.random() < 0.15:
			valeurs.update(
				statut="Décédé", date_deces=str(add_days(dernier, self.rng.randint(10, silence - 1)))
			)
		elif 365 < silence < 720 and self.rng.random() < 0.25:
			valeurs.update(statut="Archivé", date_archivage=str(add_days(dernier, 365)))
		elif silence > 240 and self.rng.random() < 0.6:
			valeurs["statut"] = "Inactif"

	# --- Accompaniments ---------------------------------------------------------------------

	def typologies_de_l_age(self, age: int) -> list[str]:
		liste = JEUNES if age < 26 else AINES if age > 62 else ADULTES
		autres = [nom for nom in self.typologies if nom not in JEUNES + ADULTES + AINES]
		return [nom for nom in liste if nom in self.typologies] + autres

	def parcours(self, age: int, ouverture: datetime.date, referent: str) -> list[tuple[str, dict]]:
		"""The file's accompaniments from its opening: a main typology and a few others, a contact
		every few weeks, fewer as the situation settles."""
		rng = self.rng
		possibles = self.typologies_de_l_age(age)
		principale = rng.choice(possibles)
		nombre = pondere(rng, [(1, 18), (2, 22), (3, 20), (4, 15), (5, 10), (6, 7), (8, 5), (11, 3)])
		jour, lignes = ouverture, []
		for k in range(nombre):
			if jour >= self.jour:
				break
			typologie = principale if k == 0 or rng.random() < 0.55 else rng.choice(possibles)
			lignes.append((typologie, self.accompagnement(typologie, jour, referent, age)))
			jour = add_days(jour, rng.randint(10, 120))
		# Some files have a request open now.
		if rng.random() < 0.08:
			aides = [n for n in possibles if self.typologies[n].aide_financiere]
			if aides:
				jour, aide = add_days(self.jour, -rng.randint(0, 45)), rng.choice(aides)
				lignes.append((aide, self.accompagnement(aide, jour, referent, age)))
		return lignes

	def accompagnement(self, typologie: str, jour: datetime.date, agent: str, age: int) -> dict:
		rng = self.rng
		anciennete = (self.jour - getdate(jour)).days
		mode = VAD if typologie in A_DOMICILE and rng.random() < 0.7 else pondere(rng, MODES)
		valeurs = {"date": str(jour), "mode": mode, "agent": agent, "statut": "Terminé"}
		objets = OBJETS.get(typologie) or (
			OBJET_AIDE if self.typologies[typologie].aide_financiere else OBJET_AUTRE
		)
		valeurs["objet"] = rng.choice(objets)
		if rng.random() < 0.3:
			valeurs["compte_rendu"] = f"<p>{escape_html(rng.choice(COMPTES_RENDUS))}</p>"
		duree = rng.choice((30, 45, 60))
		debut = mode in RENDEZ_VOUS and self.agendas.reserver(agent, jour, rng.choice(HEURES), duree)
		if mode in RENDEZ_VOUS and not debut:
			mode = valeurs["mode"] = TEL  # the agent's day was full: a phone call
		if debut:
			valeurs.update(heure=debut.strftime("%H:%M:%S"), duree=duree)
			valeurs["issue_rendez_vous"] = pondere(rng, [("Honoré", 82), ("Non honoré", 12), ("Annulé", 6)])
			if valeurs["issue_rendez_vous"] == "Annulé":
				valeurs["statut"] = "Annulé"
		if valeurs["statut"] != "Annulé":
			if anciennete < 30 and rng.random() < 0.45:
				valeurs["statut"] = rng.choice(("En cours", "En cours", "À traiter"))
			if self.typologies[typologie].aide_financiere:
				self.aide(valeurs, typologie, anciennete)
		return valeurs

	def aide(self, valeurs: dict, typologie: str, anciennete: int) -> None:
		"""An aid request at the stage its age gives it: requested (a few days), under review, before
		the commission, decided (granted, partly, refused, adjourned, dropped), paid."""
		rng = self.rng
		cle = next((k for k in MONTANTS if k in typologie), None)
		minimum, maximum, pas = MONTANTS.get(cle, (50, 500, 10))
		demande = rng.randrange(minimum, maximum + 1, pas)
		valeurs["montant_demande"] = demande
		jour = getdate(valeurs["date"])
		if anciennete <= 10:
			valeurs.update(statut="À traiter", decision=rng.choice(("", "En attente de justificatifs")))
			return
		if anciennete <= 35:
			valeurs["statut"] = "En cours"
			valeurs["decision"] = "En cours d'instruction"
			if rng.random() < 0.5:
				# Before the next commission.
				valeurs["date_commission"] = str(add_days(jour, rng.randint(21, 42)))
				valeurs["instruction"] = "En interne"
			else:
				valeurs["instruction"] = pondere(rng, [("En interne", 2), ("Par un organisme extérieur", 1)])
				if valeurs["instruction"] == "Par un organisme extérieur":
					valeurs["organisme_instructeur"] = rng.choice(ORGANISMES)
			return
		commission = add_days(jour, rng.randint(7, min(25, anciennete - 1)))
		decision = pondere(rng, DECISIONS)
		valeurs.update(
			decision=decision,
			instruction="En interne",
			date_commission=str(commission),
			date_decision=str(commission),
			statut="En cours" if decision == "Ajournée" else "Terminé",
		)
		if decision == "Refusée":
			valeurs["motif_refus"] = rng.choice(MOTIFS_REFUS)
		elif decision in ("Accordée", "Accordée partiellement"):
			valeurs["montant_accorde"] = (
				demande if decision == "Accordée" else rng.randrange(minimum // 2, demande, pas)
			)
			paiement = add_days(commission, rng.randint(3, 15))
			if paiement < self.jour and rng.random() < 0.92:
				valeurs.update(date_paiement=str(paiement), mode_paiement=pondere(rng, PAIEMENTS))

	def couvrir_les_typologies(self) -> None:
		"""Every typology of the structure in use: one that the draw left out gets an accompaniment
		on the first file of an age it fits."""
		utilisees = {t for p in self.personnes for t, _a in p.accompagnements}
		for nom in self.typologies:
			if nom in utilisees:
				continue
			personne = next(
				(p for p in self.personnes if nom in self.typologies_de_l_age(p.age)), self.personnes[0]
			)
			jour = add_days(personne.ouverture, 3)
			personne.accompagnements.append(
				(nom, self.accompagnement(nom, min(jour, self.jour), personne.referent, personne.age))
			)

	# --- This week's agenda -----------------------------------------------------------------

	def agenda(self) -> None:
		"""Appointments of each agent of the structure this week and the next two (the days of this
		week already past with their outcome), on the files they follow. A slot taken in the agent's
		agenda (the hand-written demo's appointments, another of these) moves to the next hour."""
		lundi = add_days(self.jour, -self.jour.weekday())
		for agent, par_jour in RENDEZ_VOUS_PAR_JOUR.items():
			dossiers = [
				p
				for p in self.personnes
				if p.referent == agent and p.valeurs.get("statut", "Actif") == "Actif"
			]
			if not dossiers:
				continue
			jours = [
				(add_days(lundi, j), HEURES[(j * 2 + k) % len(HEURES)])
				for j in range(19)
				if j % 7 < 5
				for k in range(par_jour)
			]
			if agent == KARIM:
				jours += [(self.jour, heure) for heure in RENDEZ_VOUS_DU_JOUR]
			for n, (jour, heure) in enumerate(jours):
				if agent == JULIE and jour <= add_days(self.jour, 8):
					continue  # away (continuite/demo.py)
				personne = dossiers[(n * 7) % len(dossiers)]
				duree = self.rng.choice((30, 45, 60))
				debut = self.agendas.reserver(agent, jour, heure, duree)
				if not debut:
					continue
				typologie = next(
					(t for t, _a in personne.accompagnements if not self.typologies[t].aide_financiere), None
				) or next(iter(self.typologies))
				valeurs = {
					"date": str(jour),
					"heure": debut.strftime("%H:%M:%S"),
					"duree": duree,
					"mode": VAD if typologie in A_DOMICILE else RDV,
					"lieu": None
					if typologie in A_DOMICILE
					else self.rng.choice(("Bureau 1", "Bureau 2", "Bureau 3")),
					"agent": agent,
					"rendez_vous": 1,
					"objet": self.rng.choice(OBJETS.get(typologie) or OBJET_AUTRE),
					"statut": "Planifié",
				}
				if jour < self.jour:
					valeurs.update(
						statut="Terminé", issue_rendez_vous="Non honoré" if n % 5 == 4 else "Honoré"
					)
				personne.accompagnements.append((typologie, valeurs))


class Agendas:
	"""The agents' appointments, past and to come, day by day: those already in the database (the
	hand-written demo's) and those generated. An agent is never in two appointments at once, as
	Accompagnement.validate requires of a planned one (dossiers/rendez_vous.py), which the bulk
	writer cannot check between the records of one batch."""

	def __init__(self):
		self.jours: dict[str, dict] = {}

	def pris(self, agent: str, jour) -> list[tuple]:
		if agent not in self.jours:
			from suivi_social.dossiers.rendez_vous import bornes

			self.jours[agent] = {}
			for r in frappe.get_all(
				"Accompagnement",
				filters={
					"agent": agent,
					"rendez_vous": 1,
					"statut": ("!=", "Annulé"),
					"heure": ("is", "set"),
				},
				fields=["date", "heure", "duree"],
			):
				self.jours[agent].setdefault(getdate(r.date), []).append(bornes(r.date, r.heure, r.duree))
		return self.jours[agent].setdefault(getdate(jour), [])

	def reserver(self, agent: str, jour, heure: str, duree: int):
		"""The first start from `heure` on, by hours, free in the agent's day (then taken), or None."""
		pris = self.pris(agent, jour)
		for decalage in range(5):
			debut = get_datetime(f"{jour} {heure}:00") + timedelta(hours=decalage)
			fin = debut + timedelta(minutes=duree)
			if fin.hour >= 18:
				return None
			if not any(d < fin and f > debut for d, f in pris):
				pris.append((debut, fin))
				return debut
		return None


# --- Writing ------------------------------------------------------------------------------------


def creer() -> dict[str, list[str]]:
	"""Write the generated files, accompaniments and rappels; returns their names by DocType, in
	the order they were created."""
	jour = getdate()
	crees: dict[str, list[str]] = {"Beneficiaire": [], "Accompagnement": [], "Rappel": []}
	agendas = Agendas()
	for structure, nombre, referents, communes in STRUCTURES:
		generateur = Generateur(structure, nombre, referents, communes, jour, agendas)
		personnes = generateur.generer()
		generateur.agenda()
		ecrivain = ecrire(structure, personnes, generateur.typologies)
		dossiers = [p.beneficiaire for p in personnes]
		crees["Beneficiaire"] += dossiers
		crees["Accompagnement"] += ecrivain.accompagnements_ecrits
		dater(personnes, ecrivain.accompagnements_ecrits)
		crees["Rappel"] += rappels(structure, personnes, generateur.rng, jour)
	return crees


def ecrire(structure: str, personnes: list[frappe._dict], typologies: dict) -> EcrivainDeDemonstration:
	lignes, plan_personnes = [], []
	for numero, p in enumerate(personnes, start=1):
		lignes_de_la_personne = [
			LigneImport(
				feuille=typologies[typologie].name,
				numero=len(lignes) + k,
				ligne_feuille=0,
				valeurs=[],
				referent_user=valeurs["agent"],
				accompagnements=[{k: v for k, v in valeurs.items() if k != "agent"}],
				issue=IMPORTEE,
			)
			for k, (typologie, valeurs) in enumerate(p.accompagnements)
		]
		lignes += lignes_de_la_personne
		plan_personnes.append(
			Personne(numero=numero, lignes=lignes_de_la_personne, valeurs=p.valeurs, referents=[p.referent])
		)
	plan = Plan(
		fichier="", structure=structure, feuilles=[], lignes=lignes, personnes=plan_personnes, configs=[]
	)
	ecrivain = EcrivainDeDemonstration(
		plan,
		structure,
		{t.name: t.name for t in typologies.values()},
		agent_par_defaut=personnes[0].referent,
		# The whole demo is one transaction (create_demo_data commits once at the end).
		transaction=Transaction(valider=False),
		taille_lot=len(lignes),
	)
	ecrivain.ecrire()
	if rejetees := [l for l in lignes if l.issue != IMPORTEE]:
		raise AssertionError(f"Démonstration : {len(rejetees)} lignes refusées, dont {rejetees[0].raisons}")
	for p, plan_personne in zip(personnes, plan_personnes, strict=True):
		p.beneficiaire = plan_personne.lignes[0].beneficiaire
	return ecrivain


def dater(personnes: list[frappe._dict], accompagnements: list[str]) -> None:
	"""Records of the past as their agent wrote them then: a file created the day it was opened by
	its référent, an accompaniment the day it took place by its agent. The writer stamps them now
	and as the user who runs the demo."""
	for p in personnes:
		cree = f"{p.ouverture} 09:{len(p.valeurs['nom_usage']) % 60:02d}:00"
		frappe.db.sql(
			"update `tabBeneficiaire` set creation = %s, modified = greatest(%s, "
			"coalesce(timestamp(dernier_contact, '17:00:00'), %s)), owner = %s, modified_by = %s where name = %s",
			(cree, cree, cree, p.referent, p.referent, p.beneficiaire),
		)
	maintenant = now_datetime()
	for k in range(0, len(accompagnements), 500):
		frappe.db.sql(
			"""update `tabAccompagnement` set
				creation = if(date <= %(jour)s, timestamp(date, coalesce(heure, '10:00:00')), %(avant)s),
				modified = creation, owner = agent, modified_by = agent
			where name in %(noms)s""",
			{
				"jour": maintenant.date(),
				"avant": maintenant - timedelta(days=3),
				"noms": accompagnements[k : k + 500],
			},
		)


def rappels(
	structure: str, personnes: list[frappe._dict], rng: random.Random, jour: datetime.date
) -> list[str]:
	"""Each agent's rappels on files they follow: late, due today, this week, in the coming weeks,
	and done ones. Through insert(): a few dozen, with the hooks of a rappel (an absent agent's
	reaches their colleague, continuite/notifications.py)."""
	noms = []
	# « Mes rappels de la semaine » (dossiers/rappels.py): from today to the week's last day.
	fin_de_semaine = getdate(get_last_day_of_week(jour))
	for agent, (retard, aujourd_hui, semaine, plus_tard, faits) in RAPPELS.items():
		dossiers = [
			p for p in personnes if p.referent == agent and p.valeurs.get("statut", "Actif") == "Actif"
		]
		if not dossiers:
			continue
		echeances = (
			[(add_days(jour, -rng.randint(1, 20)), "À faire") for _ in range(retard)]
			+ [(jour, "À faire")] * aujourd_hui
			+ [
				(add_days(jour, rng.randint(0, (fin_de_semaine - jour).days)), "À faire")
				for _ in range(semaine)
			]
			+ [(add_days(jour, rng.randint(8, 30)), "À faire") for _ in range(plus_tard)]
			+ [(add_days(jour, -rng.randint(5, 300)), "Fait") for _ in range(faits)]
		)
		for n, (echeance, statut) in enumerate(echeances):
			p = dossiers[(n * 5 + 3) % len(dossiers)]
			doc = frappe.get_doc(
				{
					"doctype": "Rappel",
					"titre": rng.choice(TITRES_RAPPELS),
					"structure": structure,
					"beneficiaire": p.beneficiaire,
					"assigne_a": agent,
					"date_echeance": str(echeance),
					"heure_echeance": "10:00:00" if n % 4 == 1 else None,
					"priorite": pondere(rng, [("Normale", 6), ("Haute", 2), ("Basse", 1)]),
					"statut": statut,
				}
			).insert(ignore_permissions=True)
			noms.append(doc.name)
	return noms


# --- Clearing -----------------------------------------------------------------------------------

# What Frappe or the app writes about a record elsewhere: (DocType, its DocType column, its name column).
TRACES = (
	("Version", "ref_doctype", "docname"),
	("Comment", "reference_doctype", "reference_name"),
	("Notification Log", "document_type", "document_name"),
	("View Log", "reference_doctype", "reference_name"),
	("ToDo", "reference_type", "reference_name"),
	("File", "attached_to_doctype", "attached_to_name"),
)


def effacer(crees: dict[str, list[str]]) -> None:
	"""Delete what :func:`creer` wrote, without a Deleted Document copy, as delete_doc would (child
	rows, the traces that name these records, the reception search's index, the kept yearly
	reports) in a few statements: one delete_doc per record would take a minute."""
	from suivi_social.accueil import jetons
	from suivi_social.statistiques import memoire

	for doctype in ("Rappel", "Accompagnement", "Beneficiaire"):
		noms = [n for n in crees.get(doctype, []) if n]
		for k in range(0, len(noms), 500):
			paquet = noms[k : k + 500]
			if doctype == "Beneficiaire":
				structures = set(
					frappe.get_all("Beneficiaire", filters={"name": ("in", paquet)}, pluck="structure")
				)
				jetons.supprimer(paquet)
			if doctype == "Accompagnement":
				frappe.db.delete("Compte Rendu Prive", {"accompagnement": ("in", paquet)})
			for table in frappe.get_meta(doctype).get_table_fields():
				frappe.db.delete(table.options, {"parenttype": doctype, "parent": ("in", paquet)})
			for trace, colonne_doctype, colonne_nom in TRACES:
				frappe.db.delete(trace, {colonne_doctype: doctype, colonne_nom: ("in", paquet)})
			frappe.db.delete(doctype, {"name": ("in", paquet)})
			if doctype == "Beneficiaire":
				for structure in structures:
					memoire.invalider_structure(structure)
