"""The dry run: from the sheets and their mappings to a plan, row by row, and its report.

Every data row ends in exactly one outcome:
- ``imported``: it creates a person (or joins one created by another row of the workbook);
- ``merged``: it goes to a file that already exists in the structure;
- ``review``: imported, but a person must look at it (an unreadable value left empty, a
  possible duplicate that was not merged);
- ``rejected``: nothing of it is written (no name, no date for its accompaniment…), with the reason.

What needs the database (existing files, rows already imported, référents, typologies) comes
through a :class:`Contexte`, so that the analysis runs the same in the dry run, in the real run
and in unit tests.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import html
from collections import Counter
from dataclasses import dataclass, field

from suivi_social.imports import doublons
from suivi_social.imports.correspondance import CIBLES, Colonne, verifier
from suivi_social.imports.doublons import CERTAIN, Identite
from suivi_social.imports.entetes import Tableau, cle_entetes
from suivi_social.imports.normalisation import (
	ValeurIllisible,
	annee_seule,
	cle_commune,
	forme_commune,
	forme_nom,
	forme_prenoms,
	lire_civilite,
	lire_date,
	lire_decision,
	lire_mode_paiement,
	lire_montant,
	lire_situation_familiale,
	lire_telephone,
	lire_texte,
	meilleure_forme,
	separer_nom_prenom,
)
from suivi_social.utils.identite import (
	IdentiteInvalide,
	cle_recherche,
	normaliser_code_postal,
	normaliser_email,
	normaliser_nir,
)

IMPORTEE, FUSIONNEE, A_VERIFIER, REJETEE = "imported", "merged", "review", "rejected"
LIBELLES_ISSUES = {
	IMPORTEE: "Importée",
	FUSIONNEE: "Fusionnée avec un dossier existant",
	A_VERIFIER: "Importée, à vérifier",
	REJETEE: "Rejetée",
}
# A cell longer than this is not a value of the row (a pasted letter, a broken export).
LONGUEUR_CELLULE = 1000
LONGUEUR_NOM = 60
LONGUEUR_DATA = 140

DECISIONS_EN_COURS = ("En attente de justificatifs", "En cours d'instruction")
DECISIONS_ACCORDEES = ("Accordée", "Accordée partiellement")

# Person fields filled from the columns, in the order they are consolidated.
CHAMPS_PERSONNE = (
	"nom_usage",
	"nom_naissance",
	"prenoms",
	"date_naissance",
	"lieu_naissance",
	"civilite",
	"genre",
	"adresse",
	"code_postal",
	"commune",
	"telephone",
	"telephone_2",
	"email",
	"situation_familiale",
	"numero_securite_sociale",
)
# Columns whose raw values identify a row (its fingerprint): correcting a phone or a note in the
# workbook and importing it again does not create the row a second time.
CIBLES_EMPREINTE = {
	"nom",
	"nom_naissance",
	"prenoms",
	"nom_prenom",
	"prenom_nom",
	"date_naissance",
	"date",
	"date_repetee",
	"date_commission",
	"date_decision",
	"date_paiement",
	"date_echeance",
}


@dataclass
class ConfigFeuille:
	"""How one sheet is imported: its mapping and the typology its rows become."""

	nom: str
	colonnes: list[Colonne]
	importer: bool = True
	typologie: str | None = None  # name of an existing Type Accompagnement of the structure
	nouvelle_typologie: str | None = None  # or the name of one to create
	mode: str = "Accueil physique spontané"
	modele: str | None = None  # the template that gave the mapping
	libelle_typologie: str | None = None  # the typology's name, for the report


@dataclass
class Contexte:
	"""What the analysis needs from the database; the defaults know nothing (unit tests)."""

	structure: str = ""
	aujourd_hui: datetime.date = field(default_factory=datetime.date.today)
	fichier: str = ""
	# code (cle_recherche) → user
	referents: dict[str, str] = field(default_factory=dict)
	dossiers_existants: object = None  # callable(list[Identite]) → list[dict]
	empreintes_connues: object = None  # callable(list[str]) → dict[str, dict]
	# A person's decisions on the review list (Import Classeur.decisions; see lire_decisions):
	# {"lignes": [[sheet, row], …], "decision": "meme" | "distinctes"}: the same person, or each
	# row a person of its own; with "dossier": name, the person of this existing file, or not.
	decisions: list[dict] = field(default_factory=list)

	def chercher_dossiers(self, identites: list[Identite]) -> list[dict]:
		return self.dossiers_existants(identites) if self.dossiers_existants else []

	def deja_importees(self, empreintes: list[str]) -> dict[str, dict]:
		return self.empreintes_connues(empreintes) if self.empreintes_connues else {}


@dataclass
class Probleme:
	message: str  # the full French sentence, naming sheet, row and column
	grave: bool = False  # the row is rejected


@dataclass
class LigneImport:
	feuille: str
	numero: int
	ligne_feuille: int
	valeurs: list
	personne: dict = field(default_factory=dict)
	referent: str | None = None  # the code as typed
	referent_user: str | None = None
	accompagnements: list[dict] = field(default_factory=list)
	problemes: list[Probleme] = field(default_factory=list)
	identite: Identite | None = None
	empreinte: str = ""
	# Results
	issue: str = ""
	groupe: int | None = None
	beneficiaire: str | None = None
	raisons: list[str] = field(default_factory=list)
	# A possible duplicate was left apart: a person must look at it.
	doute: bool = False
	deja_importee: dict | None = None

	@property
	def rejetee(self) -> bool:
		return any(p.grave for p in self.problemes)

	@property
	def nom_affiche(self) -> str:
		"""« NOM Prénoms » as read, for the report."""
		p = self.personne
		return " ".join(v for v in (p.get("nom_usage") or p.get("nom_naissance"), p.get("prenoms")) if v)

	def lieu(self, colonne: str | None = None) -> str:
		texte = f"Feuille {self.feuille}, ligne {self.ligne_feuille}"
		return f"{texte}, colonne « {colonne} »" if colonne else texte


@dataclass
class Personne:
	"""A person of the plan: a new file, or an existing one (`dossier`)."""

	numero: int
	lignes: list[LigneImport]
	dossier: str | None = None  # existing Beneficiaire
	valeurs: dict = field(default_factory=dict)  # consolidated fields of a new file
	completer: dict = field(default_factory=dict)  # empty fields of an existing file to fill
	referents: list[str] = field(default_factory=list)
	a_verifier: list[str] = field(default_factory=list)

	@property
	def reference(self) -> str:
		return self.dossier or f"nouveau-{self.numero}"


@dataclass
class Plan:
	fichier: str
	structure: str
	feuilles: list[dict]
	lignes: list[LigneImport]
	personnes: list[Personne]
	configs: list[ConfigFeuille]
	# Possible duplicates left apart, for a person to confirm or split (Contexte.decisions):
	# {"lignes": [[sheet, row], [sheet, row]], "raison": …} or {"lignes": [[sheet, row]], "dossier": …}
	a_verifier: list[dict] = field(default_factory=list)
	# The decisions taken, each with "appliquee" (and "pourquoi" when it is not applied).
	decisions: list[dict] = field(default_factory=list)

	def compter(self) -> dict:
		issues = Counter(l.issue for l in self.lignes)
		par_typologie: Counter = Counter()
		for config in self.configs:
			nom = config.libelle_typologie or config.nouvelle_typologie or config.typologie or config.nom
			for ligne in self.lignes:
				if ligne.feuille == config.nom and ligne.issue != REJETEE and not ligne.deja_importee:
					par_typologie[nom] += len(ligne.accompagnements)
		nouvelles = [
			p
			for p in self.personnes
			if not p.dossier and any(l.issue != REJETEE and not l.deja_importee for l in p.lignes)
		]
		existantes = [
			p
			for p in self.personnes
			if p.dossier and any(l.issue != REJETEE and not l.deja_importee for l in p.lignes)
		]
		return {
			"lignes": len(self.lignes),
			"importees": issues[IMPORTEE],
			"fusionnees": issues[FUSIONNEE],
			"a_verifier": issues[A_VERIFIER],
			"rejetees": issues[REJETEE],
			"deja_importees": sum(1 for l in self.lignes if l.deja_importee),
			"personnes_creees": len(nouvelles),
			"personnes_existantes": len(existantes),
			"accompagnements": sum(par_typologie.values()),
			"accompagnements_par_typologie": dict(par_typologie),
		}

	def rapport(self) -> dict:
		"""The report: per sheet, per row (numbered as the shared truth file), and a summary."""
		return {
			"fichier": self.fichier,
			"structure": self.structure,
			"resume": self.compter(),
			"feuilles": self.feuilles,
			"lignes": [
				{
					"sheet": l.feuille,
					"row": l.numero,
					"ligne_feuille": l.ligne_feuille,
					"nom": l.nom_affiche,
					"outcome": l.issue,
					"beneficiaire": l.beneficiaire,
					"reasons": l.raisons,
					"accompagnements": len(l.accompagnements) if l.issue != REJETEE else 0,
					"deja_importee": bool(l.deja_importee),
				}
				for l in self.lignes
			],
			"a_verifier": self.a_verifier,
			"decisions": self.decisions,
		}


# --- Reading the rows ----------------------------------------------------------------------------


def lire_lignes(tableau: Tableau, config: ConfigFeuille, contexte: Contexte) -> list[LigneImport]:
	lignes = []
	occurrences: Counter = Counter()
	cle = cle_entetes(tableau.entetes)
	for donnees in tableau.lignes:
		ligne = LigneImport(
			feuille=tableau.feuille,
			numero=donnees.numero,
			ligne_feuille=donnees.ligne_feuille,
			valeurs=donnees.valeurs,
		)
		_lire_ligne(ligne, config, contexte)
		base = _empreinte(config, cle, donnees.valeurs)
		occurrences[base] += 1
		ligne.empreinte = hashlib.sha256(f"{base}#{occurrences[base]}".encode()).hexdigest()[:32]
		lignes.append(ligne)
	return lignes


def _empreinte(config: ConfigFeuille, cle: str, valeurs: list) -> str:
	morceaux = [config.nom, cle]
	for colonne in config.colonnes:
		if colonne.cible in CIBLES_EMPREINTE:
			valeur = valeurs[colonne.index] if colonne.index < len(valeurs) else None
			if isinstance(valeur, datetime.datetime | datetime.date):
				valeur = valeur.isoformat()[:10]
			elif isinstance(valeur, float) and valeur.is_integer():
				valeur = int(valeur)
			morceaux.append(cle_recherche(str(valeur)) if valeur is not None else "")
	return "|".join(morceaux)


def _lire_ligne(ligne: LigneImport, config: ConfigFeuille, contexte: Contexte) -> None:
	p = ligne.personne
	notes: list[str] = []
	dates_repetees: list[tuple[str, datetime.date]] = []
	acc: dict = {}
	nom_incertain = False
	annee = None

	def probleme(colonne: Colonne | None, message: str, grave: bool = False) -> None:
		ligne.problemes.append(
			Probleme(f"{ligne.lieu(colonne.entete if colonne else None)} : {message}", grave)
		)

	for colonne in config.colonnes:
		if colonne.cible == "ignorer":
			continue
		brut = ligne.valeurs[colonne.index] if colonne.index < len(ligne.valeurs) else None
		if brut is None:
			continue
		if isinstance(brut, str) and len(brut) > LONGUEUR_CELLULE:
			probleme(
				colonne,
				f"la cellule contient {len(brut):,} caractères ({LONGUEUR_CELLULE:,} au plus) : ce n'est pas une "
				"valeur de cette ligne (texte collé, export abîmé ?)".replace(",", " "),
				grave=True,
			)
			continue
		try:
			cible = colonne.cible
			if cible == "nom":
				p["nom_usage"] = forme_nom(lire_texte(brut, LONGUEUR_NOM))
			elif cible == "nom_naissance":
				p["nom_naissance"] = forme_nom(lire_texte(brut, LONGUEUR_NOM))
			elif cible == "prenoms":
				p["prenoms"] = forme_prenoms(lire_texte(brut, LONGUEUR_NOM))
			elif cible in ("nom_prenom", "prenom_nom"):
				nom, prenoms, sur = separer_nom_prenom(
					lire_texte(brut, 2 * LONGUEUR_NOM), prenom_d_abord=cible == "prenom_nom"
				)
				p["nom_usage"], p["prenoms"] = forme_nom(nom), forme_prenoms(prenoms)
				nom_incertain = not sur
			elif cible == "date_naissance":
				try:
					p["date_naissance"] = lire_date(brut, naissance=True, aujourd_hui=contexte.aujourd_hui)
				except ValeurIllisible:
					annee = annee_seule(brut, contexte.aujourd_hui)
					raise
			elif cible == "civilite":
				p["civilite"] = lire_civilite(brut)
				p["genre"] = {"Madame": "Femme", "Monsieur": "Homme"}.get(p["civilite"])
			elif cible in ("lieu_naissance", "commune"):
				p[cible] = lire_texte(brut, LONGUEUR_DATA)
			elif cible == "adresse":
				p["adresse"] = lire_texte(brut, LONGUEUR_CELLULE)
			elif cible == "code_postal":
				p["code_postal"] = _code_postal(brut)
			elif cible in ("telephone", "telephone_2"):
				p[cible] = lire_telephone(brut)
			elif cible == "email":
				p["email"] = _identite(normaliser_email, brut)
			elif cible == "situation_familiale":
				p["situation_familiale"] = lire_situation_familiale(brut)
			elif cible == "nir":
				p["numero_securite_sociale"] = _identite(normaliser_nir, brut)
			elif cible == "referent":
				ligne.referent = lire_texte(brut, LONGUEUR_DATA)
			elif cible == "date_repetee":
				dates_repetees.append((colonne.entete, lire_date(brut, aujourd_hui=contexte.aujourd_hui)))
			elif cible in ("date", "date_echeance", "date_commission", "date_decision", "date_paiement"):
				acc[cible] = lire_date(brut, aujourd_hui=contexte.aujourd_hui)
			elif cible == "decision":
				acc["decision"] = lire_decision(brut)
			elif cible in ("montant_demande", "montant_accorde"):
				acc[cible] = lire_montant(brut)
			elif cible == "mode_paiement":
				acc["mode_paiement"] = lire_mode_paiement(brut)
			elif cible in ("motif_refus", "organisme", "orientation"):
				champ = {"organisme": "organisme_instructeur", "orientation": "orientation_partenaire"}.get(
					cible, cible
				)
				acc[champ] = lire_texte(brut, LONGUEUR_DATA if cible != "motif_refus" else LONGUEUR_CELLULE)
			else:
				notes.append(f"{colonne.entete} : {lire_texte(brut, LONGUEUR_CELLULE)}")
		except ValeurIllisible as erreur:
			probleme(colonne, f"{erreur} : valeur laissée vide")
			# Kept as typed in the notes of the accompaniment, so that nothing is lost.
			notes.append(f"{colonne.entete} (non repris) : {_texte_brut(brut)}")
			if colonne.cible == "date_repetee":
				dates_repetees.append((colonne.entete, None))
			if colonne.cible in ("nom", "prenoms", "nom_prenom", "prenom_nom"):
				ligne.problemes[-1].grave = True
				ligne.problemes[-1].message = f"{ligne.lieu(colonne.entete)} : {erreur}"

	for champ in ("nom_usage", "prenoms"):
		if not p.get(champ) and not ligne.rejetee:
			quoi = "le nom" if champ == "nom_usage" else "le prénom"
			if champ == "nom_usage" and p.get("nom_naissance"):
				p["nom_usage"] = p["nom_naissance"]
				continue
			probleme(None, f"{quoi} de la personne est vide : la ligne ne peut pas être importée", grave=True)
	ligne.identite = Identite(
		nom=p.get("nom_usage") or "",
		nom_naissance=p.get("nom_naissance") or "",
		prenoms=p.get("prenoms") or "",
		date_naissance=p.get("date_naissance"),
		annee=annee,
		commune=p.get("commune") or "",
		telephone=p.get("telephone") or p.get("telephone_2") or "",
		adresse=p.get("adresse") or "",
		nom_incertain=nom_incertain,
		ref=ligne,
	)
	if ligne.referent:
		ligne.referent_user = contexte.referents.get(cle_recherche(ligne.referent))
	ligne.accompagnements = _accompagnements(ligne, config, acc, dates_repetees, notes, contexte)


def _texte_brut(brut) -> str:
	if isinstance(brut, datetime.datetime | datetime.date):
		return brut.strftime("%d/%m/%Y")
	if isinstance(brut, float) and brut.is_integer():
		return str(int(brut))
	return " ".join(str(brut).split())


def _code_postal(brut) -> str:
	if isinstance(brut, int | float) and float(brut).is_integer():
		brut = f"{int(brut):05d}"
	return _identite(normaliser_code_postal, brut)


def _identite(fonction, brut):
	try:
		return fonction(str(brut).strip())
	except IdentiteInvalide as erreur:
		raise ValeurIllisible(f"« {brut} » {erreur}") from None


def _accompagnements(
	ligne: LigneImport,
	config: ConfigFeuille,
	acc: dict,
	dates_repetees: list,
	notes: list[str],
	contexte: Contexte,
) -> list[dict]:
	cibles = {c.cible for c in config.colonnes}
	colonnes_acc = {c for c in cibles if CIBLES[c][1] == "accompagnement" and c != "note"}
	if not colonnes_acc:
		# A list of people: no accompaniment, the notes go on the file.
		if notes:
			ligne.personne["informations_complementaires"] = "\n".join(notes)
		return []
	origine = f"Repris de « {contexte.fichier} », feuille « {ligne.feuille} », ligne {ligne.ligne_feuille}."
	if "date_repetee" in cibles:
		valeurs = [acc | {"date": d, "_colonne": entete} for entete, d in dates_repetees if d]
		if not valeurs and not any(d is None for _e, d in dates_repetees):
			return []
	else:
		date = (
			acc.get("date")
			or acc.get("date_commission")
			or acc.get("date_decision")
			or acc.get("date_paiement")
		)
		if not date:
			noms = [
				c.entete
				for c in config.colonnes
				if c.cible in ("date", "date_commission", "date_decision", "date_paiement")
			]
			quelles = ", ".join(f"« {n} »" for n in noms) or "aucune colonne de date"
			ligne.problemes.append(
				Probleme(
					f"{ligne.lieu()} : pas de date lisible pour l'accompagnement ({quelles}) : la ligne ne peut pas être datée",
					grave=True,
				)
			)
			return []
		valeurs = [acc | {"date": date}]
	resultat = []
	for valeur in valeurs:
		valeur = dict(valeur)
		colonne = valeur.pop("_colonne", None)
		if (valeur.get("date_paiement") or (valeur.get("montant_accorde") or 0) > 0) and not valeur.get(
			"decision"
		):
			valeur["decision"] = "Accordée"
		if valeur["date"] > contexte.aujourd_hui:
			valeur["statut"] = "Planifié"
		elif valeur.get("decision") in DECISIONS_EN_COURS:
			valeur["statut"] = "En cours"
		else:
			valeur["statut"] = "Terminé"
		lignes_cr = [origine + (f" Colonne « {colonne} »." if colonne else ""), *notes]
		valeur["compte_rendu"] = "".join(f"<p>{html.escape(t)}</p>" for t in lignes_cr)
		valeur["mode"] = config.mode
		resultat.append(valeur)
	return resultat


# --- The plan ------------------------------------------------------------------------------------


def analyser(
	tableaux: list[tuple[Tableau, ConfigFeuille]], contexte: Contexte, problemes_feuilles: dict | None = None
) -> Plan:
	"""Read every row, cluster the people, match them with the structure's files, and decide."""
	feuilles, lignes, configs = [], [], []
	for tableau, config in tableaux:
		configs.append(config)
		resume = {
			"nom": tableau.feuille,
			"ligne_entete": tableau.ligne_entete,
			"lignes": len(tableau.lignes),
			"importee": config.importer,
			"typologie": config.typologie,
			"nouvelle_typologie": config.nouvelle_typologie,
			"modele": config.modele,
			"colonnes": [c.en_dict() for c in config.colonnes],
			"ignorees": [{"ligne_feuille": n, "raison": r} for n, r in tableau.ignorees],
			"avertissements": [],
			# Codes of référents with no correspondence, for the desk's table to fill.
			"referents_inconnus": [],
			"probleme": (problemes_feuilles or {}).get(tableau.feuille),
		}
		feuilles.append(resume)
		if not config.importer or resume["probleme"]:
			continue
		if erreurs := verifier(config.colonnes):
			resume["probleme"] = f"Feuille {tableau.feuille} : " + " ; ".join(erreurs) + "."
			continue
		lignes_feuille = lire_lignes(tableau, config, contexte)
		inconnus = sorted({l.referent for l in lignes_feuille if l.referent and not l.referent_user})
		resume["referents_inconnus"] = inconnus
		if inconnus:
			resume["avertissements"].append(
				f"Feuille {tableau.feuille} : référents sans correspondance ({', '.join(inconnus)}) : leurs "
				"accompagnements iront à l'agent par défaut. Renseignez la table « Correspondance référent » "
				"de la structure pour les attribuer."
			)
		lignes.extend(lignes_feuille)
	plan = Plan(contexte.fichier, contexte.structure, feuilles, lignes, [], configs)
	_decider(plan, contexte)
	return plan


def _decider(plan: Plan, contexte: Contexte) -> None:
	valides = [l for l in plan.lignes if not l.rejetee]
	for ligne in plan.lignes:
		if ligne.rejetee:
			ligne.issue = REJETEE
			ligne.raisons = [p.message for p in ligne.problemes if p.grave] + [
				p.message for p in ligne.problemes if not p.grave
			]
	connues = contexte.deja_importees([l.empreinte for l in valides])
	position = {(l.feuille, l.numero): i for i, l in enumerate(valides)}
	decisions = lire_decisions(contexte.decisions)
	choix = _Choix.depuis(decisions, position)
	regroupement = doublons.regrouper(
		[l.identite for l in valides], choix.memes, choix.seules, choix.distinctes
	)
	personnes: list[Personne] = []
	for numero, indexes in enumerate(regroupement.groupes, start=1):
		membres = [valides[i] for i in indexes]
		personne = Personne(numero=numero, lignes=membres)
		for ligne in membres:
			ligne.groupe = numero
			if ligne.empreinte in connues:
				ligne.deja_importee = connues[ligne.empreinte]
		personnes.append(personne)
	for i, (j, raison) in regroupement.liens.items():
		valides[i].raisons.append(
			f"Même personne que la ligne {valides[j].ligne_feuille} de la feuille {valides[j].feuille} : {raison}."
		)
	for i, j in choix.distinctes:
		if valides[i].groupe == valides[j].groupe:
			continue  # united by a confirmation that contradicts it: the case is not decided
		for x, y in ((i, j), (j, i)):
			valides[x].raisons.append(
				f"Pas la même personne que la ligne {valides[y].ligne_feuille} de la feuille {valides[y].feuille} : "
				"décidé par un agent."
			)
	paires_vues = set()
	for i, j, raison in regroupement.a_verifier:
		# One case per two persons (several of their rows may look alike).
		paire = tuple(sorted((valides[i].groupe, valides[j].groupe)))
		if paire not in paires_vues:
			paires_vues.add(paire)
			plan.a_verifier.append(
				{
					"lignes": [
						[valides[i].feuille, valides[i].numero],
						[valides[j].feuille, valides[j].numero],
					],
					"raison": raison,
				}
			)
		for x, y in ((i, j), (j, i)):
			valides[x].raisons.append(
				f"{valides[x].lieu()} : peut-être la même personne que la ligne {valides[y].ligne_feuille} de la "
				f"feuille {valides[y].feuille} ({raison}) : dossiers séparés, à vérifier."
			)
			valides[x].doute = True
			personnes[valides[x].groupe - 1].a_verifier.append(raison)
	plan.a_verifier += _rapprocher_des_dossiers(personnes, contexte, choix, valides)
	_consolider(personnes, plan.lignes)
	for personne in personnes:
		for ligne in personne.lignes:
			ligne.beneficiaire = personne.reference
			if ligne.deja_importee:
				ligne.beneficiaire = ligne.deja_importee.get("beneficiaire") or ligne.beneficiaire
				ligne.issue = ligne.deja_importee.get("issue") or IMPORTEE
				ligne.raisons.insert(
					0,
					f"Ligne déjà importée ({ligne.deja_importee.get('import_classeur')}) : rien n'est recréé.",
				)
				continue
			revue = [p.message for p in ligne.problemes]
			ligne.raisons = revue + ligne.raisons
			if revue or ligne.doute:
				ligne.issue = A_VERIFIER
			elif personne.dossier:
				ligne.issue = FUSIONNEE
			else:
				ligne.issue = IMPORTEE
	plan.personnes = personnes
	plan.decisions = [_bilan(d, position, valides, personnes) for d in decisions]


# --- A person's decisions on the review list ---------------------------------------------------------

MEME, DISTINCTES, SEULE = "meme", "distinctes", "seule"


def lire_decisions(valeur) -> list[dict]:
	"""The decisions stored on an import (Import Classeur.decisions, `--decisions` of the command),
	in one form: {"lignes": [[sheet, row], …], "decision": "meme" | "distinctes"}, with
	"dossier": name for a case against an existing file. A case of the report's « a_verifier »
	list with a "decision" added is a decision. The first forms are read too: {"ligne", "avec"},
	{"ligne", "dossier"}, {"ligne", "seule": true}. Raises ValueError (French) for anything else."""
	if not valeur:
		return []
	if not isinstance(valeur, list):
		raise ValueError("les décisions doivent être une liste JSON")
	resultat = []
	for n, brute in enumerate(valeur, start=1):
		if not isinstance(brute, dict):
			raise ValueError(f"la décision {n} n'est pas un objet JSON")
		if "ligne" in brute:
			brute = _ancienne_forme(brute)
		lignes, decision, dossier = brute.get("lignes"), brute.get("decision"), brute.get("dossier")
		if not isinstance(lignes, list) or not lignes or not all(_position_valide(l) for l in lignes):
			raise ValueError(
				f"la décision {n} doit nommer ses lignes comme le rapport : « lignes »: [[feuille, numéro], …]"
			)
		if decision not in (MEME, DISTINCTES, SEULE):
			raise ValueError(f"la décision {n} doit valoir « meme » ou « distinctes », pas « {decision} »")
		if dossier is not None and not (isinstance(dossier, str) and dossier):
			raise ValueError(f"la décision {n} nomme un dossier invalide")
		if not dossier and decision != SEULE and len(lignes) < 2:
			raise ValueError(f"la décision {n} doit nommer au moins deux lignes, ou un dossier existant")
		normale = {"lignes": [[l[0], int(l[1])] for l in lignes], "decision": decision}
		if dossier:
			normale["dossier"] = dossier
		resultat.append(normale)
	return resultat


def _position_valide(ligne) -> bool:
	return (
		isinstance(ligne, list | tuple)
		and len(ligne) == 2
		and isinstance(ligne[0], str)
		and isinstance(ligne[1], int)
		and not isinstance(ligne[1], bool)
	)


def _ancienne_forme(brute: dict) -> dict:
	lignes = [brute.get("ligne")]
	if brute.get("avec"):
		return {"lignes": [*lignes, brute["avec"]], "decision": MEME}
	if brute.get("dossier"):
		return {"lignes": lignes, "dossier": brute["dossier"], "decision": MEME}
	return {"lignes": lignes, "decision": SEULE if brute.get("seule") else None}


@dataclass
class _Choix:
	"""Decisions as indexes of the valid rows."""

	memes: list[tuple[int, int]] = field(default_factory=list)
	distinctes: list[tuple[int, int]] = field(default_factory=list)
	seules: set[int] = field(default_factory=set)
	# row index → the existing file confirmed, or the files declared another person
	dossiers: dict[int, str] = field(default_factory=dict)
	ecartes: dict[int, set[str]] = field(default_factory=dict)

	@classmethod
	def depuis(cls, decisions: list[dict], position: dict) -> _Choix:
		choix = cls()
		for decision in decisions:
			indexes = list(
				dict.fromkeys(i for l in decision["lignes"] if (i := position.get(tuple(l))) is not None)
			)
			if decision.get("dossier"):
				for i in indexes:
					if decision["decision"] == MEME:
						choix.dossiers[i] = decision["dossier"]
					else:
						choix.ecartes.setdefault(i, set()).add(decision["dossier"])
			elif decision["decision"] == SEULE:
				choix.seules.update(indexes)
			elif decision["decision"] == MEME:
				choix.memes += [(indexes[0], k) for k in indexes[1:]]
			else:
				# Split: every row of the case is its own person, apart from the others.
				choix.distinctes += [(a, b) for n, a in enumerate(indexes) for b in indexes[n + 1 :]]
		return choix


def _bilan(decision: dict, position: dict, valides: list[LigneImport], personnes: list[Personne]) -> dict:
	"""A decision as the report shows it: applied, or why not (a row no longer read, a file no
	longer proposed, a contradicting decision)."""
	lignes = [valides[i] for l in decision["lignes"] if (i := position.get(tuple(l))) is not None]
	if len(lignes) < len(decision["lignes"]):
		return {**decision, "appliquee": False, "pourquoi": "une de ses lignes n'est plus dans le classeur"}
	dossiers = {personnes[l.groupe - 1].dossier for l in lignes}
	groupes = {l.groupe for l in lignes}
	if decision.get("dossier"):
		voulu = decision["dossier"]
		ok = dossiers == {voulu} if decision["decision"] == MEME else voulu not in dossiers
	elif decision["decision"] == MEME:
		ok = len(groupes) == 1
	else:
		ok = len(groupes) == len(lignes)
	resultat = {**decision, "appliquee": ok}
	if not ok:
		resultat["pourquoi"] = (
			"ce dossier n'est plus proposé pour ces lignes"
			if decision.get("dossier")
			else "une autre décision la contredit"
		)
	return resultat


def _rapprocher_des_dossiers(
	personnes: list[Personne], contexte: Contexte, choix: _Choix, valides: list[LigneImport]
) -> list[dict]:
	"""Each person of the workbook against the existing files of the structure; returns the
	possible matches left for review. A person's decisions come first: a file confirmed (among
	those the matching proposes) takes the rows; a file declared another person is set aside."""
	a_verifier: list[dict] = []
	index_de = {id(l): i for i, l in enumerate(valides)}
	# A row already imported pins its person to the file it went to.
	for personne in personnes:
		for ligne in personne.lignes:
			if ligne.deja_importee and ligne.deja_importee.get("beneficiaire"):
				personne.dossier = ligne.deja_importee["beneficiaire"]
				break
	a_chercher = [p for p in personnes if not p.dossier]
	identites = [l.identite for p in a_chercher for l in p.lignes]
	existants = contexte.chercher_dossiers(identites) if identites else []
	if not existants and not choix.dossiers:
		return a_verifier
	fiches = [doublons.identite_du_dossier(d) for d in existants]
	index: dict[str, list[int]] = {}
	for k, fiche in enumerate(fiches):
		for cle in _cles_recherche(fiche):
			index.setdefault(cle, []).append(k)
	# full name key → the files of that name, built at the first person matched without a date
	par_complet: dict[str, set[str]] = {}
	for personne in a_chercher:
		rangs = [index_de[id(l)] for l in personne.lignes]
		ecartes = set().union(*(choix.ecartes.get(i, ()) for i in rangs))
		confirmes = {choix.dossiers[i] for i in rangs if i in choix.dossiers} - ecartes
		certains: dict[str, str] = {}
		sans_date: dict[str, str] = {}
		probables: dict[str, str] = {}
		mis_de_cote: set[str] = set()
		for identite in _identites_du_groupe(personne):
			for k in {k for cle in _cles_recherche(identite) for k in index.get(cle, ())}:
				verdict = doublons.comparer(identite, fiches[k])
				nom = existants[k]["name"]
				if verdict.niveau and nom in ecartes:
					mis_de_cote.add(nom)
				elif verdict.niveau == CERTAIN and not verdict.sans_date:
					certains.setdefault(nom, verdict.raison)
				elif verdict.niveau == CERTAIN:
					sans_date.setdefault(nom, verdict.raison)
				elif verdict.niveau:
					probables.setdefault(nom, verdict.raison)
		for nom in sorted(mis_de_cote):
			for ligne in personne.lignes:
				ligne.raisons.append(f"Pas la personne du dossier existant {nom} : décidé par un agent.")
		proposes = {**probables, **sans_date, **certains}
		if len(confirmes) == 1 and (voulu := next(iter(confirmes))) in proposes:
			personne.dossier = voulu
			for ligne in personne.lignes:
				ligne.raisons.append(f"Dossier existant {voulu} : confirmé par un agent ({proposes[voulu]}).")
			continue
		for nom in sorted(confirmes):
			for ligne in personne.lignes:
				ligne.raisons.append(
					f"{ligne.lieu()} : la décision « c'est la personne du dossier {nom} » ne s'applique pas "
					+ (
						"(ce dossier n'est plus proposé pour cette personne)"
						if nom not in proposes
						else "(ses lignes ont été confirmées pour plusieurs dossiers)"
					)
					+ " : à vérifier."
				)
				ligne.doute = True
		if not certains and sans_date:
			# Through a missing birth date: only when the name designates a single file.
			noms = {l.identite.complet for l in personne.lignes}
			if not par_complet:
				for k, fiche in enumerate(fiches):
					par_complet.setdefault(fiche.complet, set()).add(existants[k]["name"])
			homonymes = {
				nom for complet in noms for nom in par_complet.get(complet, ()) if nom not in ecartes
			}
			if len(sans_date) == 1 and len(homonymes) <= 1:
				certains.update(sans_date)
			else:
				for nom in sans_date:
					probables.setdefault(
						nom, "même nom et prénom, date de naissance absente, plusieurs dossiers possibles"
					)
		lignes = [[l.feuille, l.numero] for l in personne.lignes]
		if len(certains) == 1:
			personne.dossier, raison = next(iter(certains.items()))
			for ligne in personne.lignes:
				ligne.raisons.append(f"Dossier existant {personne.dossier} : {raison}.")
		elif len(certains) > 1:
			personne.dossier = sorted(certains)[0]
			autres = ", ".join(sorted(certains)[1:])
			for ligne in personne.lignes:
				ligne.raisons.append(
					f"{ligne.lieu()} : plusieurs dossiers existants correspondent ({personne.dossier}, {autres}) : "
					f"rattachée à {personne.dossier}, à vérifier (fusionnez les doublons)."
				)
				ligne.doute = True
			# The person says which one (the others are then merged with « Fusionner deux dossiers »).
			for nom in sorted(certains):
				a_verifier.append(
					{
						"lignes": lignes,
						"dossier": nom,
						"raison": f"{certains[nom]} ; plusieurs dossiers existants correspondent",
					}
				)
		for nom, raison in probables.items():
			if nom == personne.dossier or nom in certains:
				continue
			a_verifier.append({"lignes": lignes, "dossier": nom, "raison": raison})
			for ligne in personne.lignes:
				ligne.raisons.append(
					f"{ligne.lieu()} : peut-être la personne du dossier existant {nom} ({raison}) : "
					+ ("rattachée à un autre dossier" if personne.dossier else "nouveau dossier")
					+ ", à vérifier."
				)
				ligne.doute = True
	return a_verifier


def _identites_du_groupe(personne: Personne) -> list[Identite]:
	"""The identities of a person's rows; a row without birth date takes the date the other rows
	agree on (its person is known: only files born that day, or without a date, can be it)."""
	dates = Counter(l.identite.date_naissance for l in personne.lignes if l.identite.date_naissance)
	date = dates.most_common(1)[0][0] if len(dates) == 1 else None
	identites = []
	for ligne in personne.lignes:
		identite = ligne.identite
		if date and not identite.date_naissance:
			identite = dataclasses.replace(identite, date_naissance=date, _cles={})
		identites.append(identite)
	return identites


def _cles_recherche(ident: Identite) -> set[str]:
	cles = set(ident.cles_de_nom())
	d = ident.date_naissance
	if d:
		cles.add(f"d{d.isoformat()}")
		if d.day <= 12:
			cles.add(f"d{datetime.date(d.year, d.day, d.month).isoformat()}")
	return cles


def _consolider(personnes: list[Personne], lignes: list[LigneImport]) -> None:
	"""The values of each new file from all its rows; for an existing file, nothing here (the
	writer fills its empty fields)."""
	communes: dict[str, list[str]] = {}
	for ligne in lignes:
		if ligne.personne.get("commune"):
			communes.setdefault(cle_commune(ligne.personne["commune"]), []).append(ligne.personne["commune"])
	formes = {cle: forme_commune(meilleure_forme(v)) for cle, v in communes.items()}
	for personne in personnes:
		actives = [l for l in personne.lignes if not l.deja_importee]
		valeurs: dict = {}
		for champ in CHAMPS_PERSONNE:
			vues = [l.personne.get(champ) for l in personne.lignes if l.personne.get(champ)]
			if not vues:
				continue
			if champ in ("nom_usage", "nom_naissance", "prenoms"):
				valeurs[champ] = meilleure_forme(vues)
			elif champ == "commune":
				valeurs[champ] = formes.get(cle_commune(vues[0]), vues[0])
			else:
				valeurs[champ] = Counter(vues).most_common(1)[0][0]
		telephones = list(
			dict.fromkeys(
				v
				for l in personne.lignes
				for v in (l.personne.get("telephone"), l.personne.get("telephone_2"))
				if v
			)
		)
		if len(telephones) > 1:
			valeurs["telephone"], valeurs["telephone_2"] = telephones[0], telephones[1]
		infos = [
			l.personne["informations_complementaires"]
			for l in personne.lignes
			if l.personne.get("informations_complementaires")
		]
		if infos:
			valeurs["informations_complementaires"] = "\n".join(dict.fromkeys(infos))
		personne.valeurs = valeurs
		personne.referents = list(dict.fromkeys(l.referent_user for l in actives if l.referent_user))
