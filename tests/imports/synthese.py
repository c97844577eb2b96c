"""A legacy workbook of the shared sample's shape, of any size, with its ground truth.

Same seven sheets and headers as ../shared/data/legacy_cias_sample.xlsx (title rows, « NOM Prénom »
in one column, visits in numbered columns, a total row), and the mess the import must absorb,
at known rates: any case, accents dropped, hyphen or space, a compound first name cut, dates in
six formats and two-digit years, a birth date missing or unreadable, day and month inverted, one
wrong letter, phones without their leading zero, amounts with €. Homonyms come by chance (random
first and family names). Some people may be existing files of the structure (`existants`).

Used by tests/imports/test_synthese.py and benchmarks/import_classeur.py."""

from __future__ import annotations

import datetime
import io
import random
import unicodedata

NOMS = [
	*(
		"Martin Bernard Thomas Petit Robert Richard Durand Dubois Moreau Laurent Simon Michel Lefèvre Leroy Roux "
		"David Bertrand Morel Fournier Girard Bonnet Dupont Lambert Fontaine Rousseau Vincent Muller Faure André "
		"Mercier Blanc Guérin Boyer Garnier Chevalier François Legrand Gauthier Garcia Perrin Robin Clément Morin "
		"Nicolas Henry Roussel Mathieu Gautier Masson Marchand Duval Denis Dumont Lemaire Noël Meyer Dufour Meunier "
		"Brun Blanchard Giraud Joly Rivière Lucas Brunet Gaillard Barbier Arnaud Martinez Gérard Roche Renard Schmitt "
		"Colin Vidal Caron Picard Roger Fabre Aubert Lemoine Renaud Dumas Lacroix Olivier Philippe Bourgeois Pierre "
		"Benoît Rey Leclerc Payet Rolland Lecomte Dupuy Guillot Hubert Berger Carpentier Dupuis Moulin Deschamps "
		"Huet Vasseur Perez Boucher Fleury Royer Klein Jacquet Adam Poirier Marty Aubry Guyot Carré Renault "
		"Charpentier Ménard Maillard Baron Bertin Bailly Hervé Schneider Fernandez Collet Léger Bouvier Julien "
		"Prévost Millet Perrot Cousin Germain Breton Besson Langlois Rémy Pelletier Lévêque Perrier Leblanc Barré "
		"Lebrun Marchal Weber Mallet Hamon Boulanger Jacob Monnier Michaud Rodriguez Guichard Gillet Étienne"
	).split(),
	*["Le Gall", "Da Silva", "De Oliveira", "Le Roux", "Clerc-Potier", "Fleury-Marchal", "Simon-Lévy"],
]
PRENOMS_F = [
	*(
		"Marie Nathalie Isabelle Sylvie Catherine Françoise Martine Christine Monique Sophie Valérie Sandrine Céline "
		"Aurélie Émilie Camille Léa Manon Chloé Inès Hélène Jacqueline Josiane Jeanne Denise Colette Paulette Yvette "
		"Germaine Simone Lucienne Suzanne Madeleine Danielle Chantal Brigitte Annie Joëlle Agnès Zoé Noémie Anaïs "
		"Thérèse Odette Huguette Andrée Éléonore Margot Mathilde Aurore"
	).split(),
	*["Marie-Claire", "Anne-Sophie", "Marie-Thérèse", "Élisabeth-Clémence"],
]
PRENOMS_H = [
	*(
		"Jean Pierre Michel Philippe Alain Patrick Nicolas Christophe Stéphane Laurent Frédéric Éric David Julien "
		"Gérard Bernard René Louis Lucas Hugo Nathan Raymond Marcel Roger André Clément Théo Maxime Antoine Romain "
		"Jérôme Cédric Denis Henri Isaac Émile Paul Yves Tristan Arthur Franck"
	).split(),
	*["Jean-Pierre", "Jean-Marc", "Marc-Antoine", "Pierre-Yves"],
]
COMMUNES = (
	"Autun",
	"Épinac",
	"Étang-sur-Arroux",
	"Saint-Léger-sous-Beuvray",
	"La Grande-Verrière",
	"Lucenay-l'Évêque",
	"Curgy",
	"Couches",
	"Monthelon",
	"Cussy-en-Morvan",
	"Saint-Forgeot",
	"Dracy-Saint-Loup",
	"Roussillon-en-Morvan",
	"Anost",
	"Broye",
	"Igornay",
)
REFERENTS = ("AR", "NT", "VB", "MB", "EG", "JP", "CL", "SD")
DECISIONS = ("Accord", "ok", "Refus", "refusé", "Accord partiel", "Ajourné", "Favorable", "En attente")
AUJOURD_HUI = datetime.date(2026, 11, 28)

# (sheet, share of the rows)
FEUILLES = (
	("Domiciliation", 0.10),
	("Aides financières urgence", 0.42),
	("Aide sociale", 0.065),
	("Visites convivialité", 0.05),
	("Aide au permis", 0.025),
	("Logement d'urgence", 0.02),
	("Accompagnement social", 0.32),
)
ENTETES = {
	"Domiciliation": [
		"N°",
		"NOM",
		"PRENOM",
		"Né(e) le",
		"Lieu de naissance",
		"Date élection domicile",
		"Date fin",
		"Adresse précédente",
		"Tél",
		"Observations",
	],
	"Aides financières urgence": [
		"Nom Prénom",
		"DDN",
		"Commune",
		"Nature de l'aide",
		"Montant demandé",
		"Montant accordé",
		"Date commission",
		"Décision",
		"Référent",
	],
	"Aide sociale": [
		"Nom",
		"Prénom",
		"Date naissance",
		"Type de demande",
		"Établissement",
		"Date dépôt dossier",
		"Date envoi Département",
		"Décision",
		"Observations",
	],
	"Visites convivialité": [
		"Nom",
		"Prénom",
		"Adresse",
		"Commune",
		"Téléphone",
		"Visite 1",
		"Visite 2",
		"Visite 3",
		"Visite 4",
		"Bénévole",
	],
	"Aide au permis": ["NOM", "Prénom", "DDN", "Auto-école", "Montant aide", "Date versement"],
	"Logement d'urgence": ["Nom", "Prénom", "Composition familiale", "Date entrée", "Date sortie", "Motif"],
	"Accompagnement social": [
		"Nom",
		"Prénom",
		"Date de naissance",
		"Civilité",
		"Adresse",
		"Commune",
		"Tél",
		"Situation familiale",
		"Nb enfants",
		"Ressources",
		"Référent",
		"Date 1er RDV",
		"Dernier RDV",
		"Prochain RDV",
		"Objet",
	],
}


def sans_accents(texte: str) -> str:
	return "".join(c for c in unicodedata.normalize("NFD", texte) if not unicodedata.combining(c))


class Generateur:
	def __init__(self, graine: int, existants: list[dict] | None = None):
		self.rng = random.Random(graine)
		self.existants = existants or []

	# --- People ----------------------------------------------------------------------------

	def personne(self, numero: int) -> dict:
		rng = self.rng
		femme = rng.random() < 0.55
		naissance = datetime.date(1930, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 76))
		return {
			"id": numero,
			"nom": rng.choice(NOMS).upper(),
			"prenom": rng.choice(PRENOMS_F if femme else PRENOMS_H),
			"date_naissance": naissance.isoformat(),
			"civilite": "Mme" if femme else "M.",
			"commune": rng.choice(COMMUNES),
			"adresse": f"{rng.randrange(1, 300)}, rue {rng.choice(NOMS)}",
			"telephone": "0" + rng.choice("67") + "".join(rng.choice("0123456789") for _ in range(8)),
			"referent": rng.choice(REFERENTS),
		}

	def depuis_dossier(self, numero: int, dossier: dict) -> dict:
		personne = self.personne(numero)
		personne.update(
			nom=dossier["nom_usage"].upper(),
			prenom=dossier["prenoms"],
			date_naissance=str(dossier["date_naissance"]),
			dossier=dossier["name"],
		)
		return personne

	# --- Noise -----------------------------------------------------------------------------

	def casse(self, texte: str, nom: bool) -> str:
		tirage = self.rng.random()
		if tirage < 0.15:
			texte = texte.lower()
		elif tirage < 0.30:
			texte = texte.title() if nom else texte.upper()
		if self.rng.random() < 0.2:
			texte = sans_accents(texte)
		if "-" in texte and self.rng.random() < 0.2:
			texte = texte.replace("-", " ")
		if self.rng.random() < 0.05:
			texte = texte + " "
		return texte

	def faute(self, texte: str) -> str:
		lettres = [i for i, c in enumerate(texte) if c.isalpha()]
		if len(lettres) < 5:
			return texte
		i = self.rng.choice(lettres[1:])
		remplacement = self.rng.choice("aeiourstnl")
		return texte[:i] + (remplacement.upper() if texte[i].isupper() else remplacement) + texte[i + 1 :]

	def noms(self, personne: dict) -> tuple[str, str]:
		nom, prenom = personne["nom"], personne["prenom"]
		if "-" in prenom and self.rng.random() < 0.05:
			prenom = prenom.split("-")[0]
		if self.rng.random() < 0.01:
			if self.rng.random() < 0.5:
				nom = self.faute(nom)
			else:
				prenom = self.faute(prenom)
		return self.casse(nom, True), self.casse(prenom, False)

	def date(self, date: datetime.date, naissance: bool = False):
		rng = self.rng
		if naissance:
			tirage = rng.random()
			if tirage < 0.01:
				return rng.choice(["??", None, f"né en {date.year}"])
			if tirage < 0.015 and date.day <= 12 and date.day != date.month:
				date = datetime.date(date.year, date.day, date.month)
			elif tirage < 0.018:
				return f"31/02/{date.year}"
		forme = rng.randrange(6)
		if forme == 0:
			return datetime.datetime(date.year, date.month, date.day)
		if forme == 1:
			return date.strftime("%d/%m/%Y")
		if forme == 2 and (not naissance or (AUJOURD_HUI.year - date.year) >= 20):
			return date.strftime("%d/%m/%y")
		if forme == 3:
			return date.strftime("%d.%m.%Y")
		if forme == 4:
			return date.isoformat()
		return f"{date.day}/{date.month}/{date.year}"

	def telephone(self, personne: dict):
		tirage = self.rng.random()
		numero = personne["telephone"]
		if tirage < 0.2:
			return int(numero)
		if tirage < 0.4:
			return " ".join(numero[i : i + 2] for i in range(0, 10, 2))
		if tirage < 0.5:
			return "+33 " + numero[1] + " " + " ".join(numero[i : i + 2] for i in range(2, 10, 2))
		return numero

	def montant(self, valeur: float | None = None) -> object:
		valeur = self.rng.choice([30, 45.5, 60, 100, 120, 150, 200, 300]) if valeur is None else valeur
		return self.rng.choice(
			[valeur, f"{valeur:.2f}".replace(".", ",") + " €", f"{valeur:g}€", str(float(valeur))]
		)

	def jour(self, annees: int = 5) -> datetime.date:
		return AUJOURD_HUI - datetime.timedelta(days=self.rng.randrange(60, 365 * annees))

	# --- Rows ------------------------------------------------------------------------------

	def ligne(self, feuille: str, numero: int, p: dict) -> list:
		nom, prenom = self.noms(p)
		naissance = datetime.date.fromisoformat(p["date_naissance"])
		ddn = self.date(naissance, naissance=True)
		rng = self.rng
		if feuille == "Domiciliation":
			debut = self.jour()
			return [
				numero,
				nom,
				prenom,
				ddn,
				rng.choice(COMMUNES),
				self.date(debut),
				self.date(debut + datetime.timedelta(days=365)),
				None,
				self.telephone(p),
				rng.choice([None, "Radié", "Courrier à retirer"]),
			]
		if feuille == "Aides financières urgence":
			demande = rng.choice([30, 45.5, 60, 100, 120, 150, 200, 300])
			decision = rng.choice(DECISIONS)
			accorde = (
				0
				if decision in ("Refus", "refusé", "Ajourné", "En attente")
				else rng.choice([demande, demande / 2])
			)
			return [
				f"{nom} {prenom}",
				ddn,
				self.casse(p["commune"], True),
				rng.choice(["Énergie", "Loyer", "Hygiène", "Alimentaire"]),
				self.montant(demande),
				self.montant(accorde),
				self.date(self.jour()),
				decision,
				p["referent"],
			]
		if feuille == "Aide sociale":
			return [
				nom,
				prenom,
				ddn,
				rng.choice(["Aide ménagère", "Hébergement EHPAD"]),
				"EHPAD du Parc",
				self.date(self.jour()),
				self.date(self.jour()),
				rng.choice(["Favorable", "Défavorable", None]),
				None,
			]
		if feuille == "Visites convivialité":
			visites = sorted(self.jour(3) for _ in range(rng.randrange(1, 5)))
			dates = [self.date(d) for d in visites] + [None] * (4 - len(visites))
			return [
				nom,
				prenom,
				p["adresse"],
				self.casse(p["commune"], True),
				self.telephone(p),
				*dates,
				rng.choice(PRENOMS_F),
			]
		if feuille == "Aide au permis":
			return [nom, prenom, ddn, "Conduite 71", self.montant(), self.date(self.jour())]
		if feuille == "Logement d'urgence":
			entree = self.jour()
			return [
				nom,
				prenom,
				"Seul(e) + 1 enfant(s)",
				self.date(entree),
				self.date(entree + datetime.timedelta(days=40)),
				"Expulsion",
			]
		premier = self.jour(6)
		return [
			nom,
			prenom,
			ddn,
			p["civilite"],
			p["adresse"],
			self.casse(p["commune"], True),
			self.telephone(p),
			"Célibataire",
			rng.randrange(4),
			"RSA",
			p["referent"],
			self.date(premier),
			self.date(premier + datetime.timedelta(days=200)),
			None,
			"Budget",
		]


def classeur(lignes: int, graine: int = 7, existants: list[dict] | None = None, part_existants: float = 0.1):
	"""(xlsx bytes, truth in the shared truth file's format) for about `lignes` data rows."""
	import openpyxl

	gen = Generateur(graine, existants)
	nombre = max(2, int(lignes / 2.2))
	personnes = []
	dossiers = list(existants or [])
	gen.rng.shuffle(dossiers)
	for numero in range(nombre):
		if dossiers and gen.rng.random() < part_existants:
			personnes.append(gen.depuis_dossier(numero, dossiers.pop()))
		else:
			personnes.append(gen.personne(numero))
	poids = [1 / (1 + (i % 7)) for i in range(nombre)]
	wb = openpyxl.Workbook()
	wb.remove(wb.active)
	records = []
	for feuille, part in FEUILLES:
		ws = wb.create_sheet(feuille)
		entetes = ENTETES[feuille]
		if feuille != "Visites convivialité":
			ws.append([f"CIAS — {feuille} — document de travail"])
			ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(entetes))
			ws.append([])
		ws.append(entetes)
		for numero in range(1, max(1, round(lignes * part)) + 1):
			personne = gen.rng.choices(personnes, weights=poids)[0]
			ws.append(gen.ligne(feuille, numero, personne))
			records.append(
				{
					"sheet": feuille,
					"row": numero,
					"person": personne["id"],
					"dossier": personne.get("dossier"),
				}
			)
		if feuille == "Aides financières urgence":
			ws.append([])
			ws.append(["TOTAL", None, None, None, None, 1234])
	sortie = io.BytesIO()
	wb.save(sortie)
	return sortie.getvalue(), {"people": personnes, "records": records}
