"""Mapping a sheet's columns to the fields of Bénéficiaire and Accompagnement.

Pure Python. A column's target is proposed from its header (French synonyms, any case, with or
without accents or punctuation), then refined by what the column holds (« NOM Prénom » in one
column, numbered date columns that are each one accompaniment). A saved template (Modele Import)
maps header keys to targets and wins over the proposal.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from suivi_social.imports.entetes import Tableau, cle_entete

__all__ = ["CIBLES", "Colonne", "cible_de", "correspondance_en_dict", "proposer", "verifier"]

# target → (label shown to the user, what it fills)
CIBLES: dict[str, tuple[str, str]] = {
	"ignorer": ("Ne pas importer", ""),
	"nom": ("Nom (d'usage)", "personne"),
	"nom_naissance": ("Nom de naissance", "personne"),
	"prenoms": ("Prénoms", "personne"),
	"nom_prenom": ("Nom et prénom dans la même colonne", "personne"),
	"prenom_nom": ("Prénom et nom dans la même colonne", "personne"),
	"date_naissance": ("Date de naissance", "personne"),
	"lieu_naissance": ("Lieu de naissance", "personne"),
	"civilite": ("Civilité", "personne"),
	"adresse": ("Adresse", "personne"),
	"code_postal": ("Code postal", "personne"),
	"commune": ("Commune", "personne"),
	"telephone": ("Téléphone", "personne"),
	"telephone_2": ("Autre téléphone", "personne"),
	"email": ("E-mail", "personne"),
	"situation_familiale": ("Situation familiale", "personne"),
	"nir": ("N° de sécurité sociale", "personne"),
	"referent": ("Référent (initiales ou nom de l'agent)", "personne"),
	"date": ("Date de l'accompagnement", "accompagnement"),
	"date_repetee": ("Date d'un accompagnement (une colonne = un accompagnement)", "accompagnement"),
	"date_echeance": ("Date d'échéance ou de fin", "accompagnement"),
	"date_commission": ("Date de commission", "accompagnement"),
	"date_decision": ("Date de décision", "accompagnement"),
	"date_paiement": ("Date de paiement", "accompagnement"),
	"decision": ("Décision", "accompagnement"),
	"montant_demande": ("Montant demandé", "accompagnement"),
	"montant_accorde": ("Montant accordé", "accompagnement"),
	"mode_paiement": ("Mode de paiement", "accompagnement"),
	"motif_refus": ("Motif du refus", "accompagnement"),
	"organisme": ("Organisme instructeur", "accompagnement"),
	"orientation": ("Orienté par (partenaire)", "accompagnement"),
	"note": ("Note (recopiée dans le compte rendu)", "accompagnement"),
}

# Targets a sheet may map only once; a second column becomes a note (or the second phone).
UNIQUES = set(CIBLES) - {"ignorer", "note", "date_repetee"}

# (target, pattern on the header key); the first match wins, so the specific ones come first.
SYNONYMES: list[tuple[str, str]] = [
	("ignorer", r"^(n|no|num|numero|n dossier|numero dossier|id|ref|reference|ligne|#)$"),
	("nom_prenom", r"^(nom|noms) (et )?(prenom|prenoms|prenom s)$"),
	("prenom_nom", r"^(prenom|prenoms|prenom s) (et )?nom$"),
	("nom_prenom", r"^(nom complet|identite|beneficiaire|usager|personne|demandeur|nom du beneficiaire)$"),
	("lieu_naissance", r"\blieu (de )?naiss|\b(ville|commune) de naiss|^ne e? a$|^nee? a$"),
	("date_naissance", r"^ddn$|^dn$|^d n$|date (de )?naiss|^ne e? le$|^nee? le$|^naissance$|^date nais"),
	("nom_naissance", r"nom (de )?naissance|nom de jeune fille|^nom jf$|^nee$|^nom patronymique$"),
	("nom", r"^nom( d usage| usuel| marital| epouse| de famille)?$|^patronyme$|^nom usage$"),
	("prenoms", r"^(prenom|prenoms|prenom s|pnom)$"),
	("email", r"mail|courriel"),
	("telephone", r"\btel\b|telephone|portable|mobile|\bgsm\b|\bfixe\b|^tel"),
	("code_postal", r"^cp$|code postal|^c p$"),
	("commune", r"^(ville|commune|localite|lieu de residence|commune de residence|ville de residence)$"),
	("civilite", r"^(civilite|titre|sexe|genre|mme m|m mme)$"),
	("situation_familiale", r"situation (familiale|matrimoniale)|^situation$|etat civil|^sit fam"),
	("nir", r"securite sociale|^nir$|^n ss$|^no ss$|^num ss$|^secu$|^n secu"),
	(
		"referent",
		r"referent|travailleur social|^ts$|^as$|assistante? sociale|^agent$|suivi par|^conseill|^cesf$|^instructeur$|^charge de suivi",
	),
	(
		"montant_accorde",
		r"montant (accorde|attribue|verse|octroye|paye|regle)|^accorde$|montant (de l )?aide|^aide accordee$|^somme versee$",
	),
	("montant_demande", r"montant (demande|sollicite)|^demande$|^montant$|^somme demandee$|^besoin$"),
	("date_decision", r"date (de (la )?)?decision"),
	("decision", r"decision|^avis|suite donnee|^resultat$|^accord$|^reponse$"),
	("date_commission", r"commission"),
	("date_paiement", r"versement|paiement|reglement"),
	("mode_paiement", r"mode de (paiement|reglement)|moyen de paiement"),
	("motif_refus", r"motif (du )?refus"),
	(
		"date_echeance",
		r"date (de )?fin|sortie|echeance|expiration|fin de validite|date limite|^fin$|^au$|^jusqu",
	),
	("date_repetee", r"^(visite|rdv|rendez vous|passage|entretien|contact|appel|permanence)s? ?\d+$"),
	("date_repetee", r"^\d+ ?(e|er|eme|ere)? (visite|rdv|rendez vous|passage|entretien|contact)"),
	(
		"date_repetee",
		r"^(date )?(du )?(1er|premier|dernier|prochain|der) (rdv|rendez vous|entretien|contact|visite)$",
	),
	(
		"date",
		r"^date$|^le$|^du$|date (d )?(entree|ouverture|depot|demande|election|debut|accueil|inscription|entretien|visite|rdv|rendez vous|saisie|premier contact)",
	),
	("adresse", r"^adresse( actuelle| postale)?$|^rue$|^domicile$|^adresse domicile$"),
	("organisme", r"organisme|^instruit par$"),
	("orientation", r"oriente par|orientation|prescripteur"),
]


def cible_de(cle: str) -> str | None:
	"""The target a header key names, or None when no synonym matches."""
	for cible, motif in SYNONYMES:
		if re.search(motif, cle):
			return cible
	return None


@dataclass
class Colonne:
	index: int
	entete: str
	cle: str
	cible: str
	origine: str  # "synonyme", "contenu", "modele", "defaut"

	def en_dict(self) -> dict:
		return {
			"index": self.index,
			"entete": self.entete,
			"cle": self.cle,
			"cible": self.cible,
			"libelle_cible": CIBLES[self.cible][0],
			"origine": self.origine,
		}


def cles_uniques(entetes: list[str]) -> list[str]:
	"""Header keys, a repeated one numbered (« date », « date#2 ») so that each column has its own."""
	vues: dict[str, int] = {}
	cles = []
	for entete in entetes:
		cle = cle_entete(entete)
		vues[cle] = vues.get(cle, 0) + 1
		cles.append(cle if vues[cle] == 1 else f"{cle}#{vues[cle]}")
	return cles


def proposer(tableau: Tableau, modele: dict[str, str] | None = None) -> list[Colonne]:
	"""A target for every column: the template's when one is given, otherwise from the header
	synonyms and the values."""
	colonnes = []
	for index, (entete, cle) in enumerate(zip(tableau.entetes, cles_uniques(tableau.entetes), strict=True)):
		if modele is not None:
			cible = modele.get(cle)
			colonnes.append(Colonne(index, entete, cle, cible if cible in CIBLES else "note", "modele"))
			continue
		cible = cible_de(cle.split("#")[0])
		colonnes.append(Colonne(index, entete, cle, cible or "note", "synonyme" if cible else "defaut"))
	if modele is None:
		_affiner(tableau, colonnes)
	return colonnes


def _valeurs(tableau: Tableau, index: int, n: int = 200) -> list:
	return [
		l.valeurs[index]
		for l in tableau.lignes[:n]
		if index < len(l.valeurs) and l.valeurs[index] is not None
	]


def _affiner(tableau: Tableau, colonnes: list[Colonne]) -> None:
	cibles = [c.cible for c in colonnes]
	# One "Nom" column and no first-name column: it holds « NOM Prénom ».
	if "prenoms" not in cibles and not {"nom_prenom", "prenom_nom"} & set(cibles):
		for colonne in colonnes:
			if colonne.cible in ("nom", "nom_naissance"):
				valeurs = [v for v in _valeurs(tableau, colonne.index) if isinstance(v, str)]
				if valeurs and sum(len(v.split()) >= 2 for v in valeurs) >= 0.6 * len(valeurs):
					colonne.cible, colonne.origine = "nom_prenom", "contenu"
				break
	# « Nom » next to « Nom d'usage »: the plain one is the birth name.
	if cibles.count("nom") > 1:
		simples = [c for c in colonnes if c.cible == "nom" and c.cle == "nom"]
		if simples:
			simples[0].cible = "nom_naissance"
	# Numbered columns with the same label (« Visite 1 », « Visite 2 »): each one accompaniment.
	groupes: dict[str, list[Colonne]] = {}
	for colonne in colonnes:
		if m := re.fullmatch(r"(.*?)\s*\d+", colonne.cle.split("#")[0]):
			groupes.setdefault(m[1], []).append(colonne)
	for base, groupe in groupes.items():
		if base and len(groupe) >= 2 and _colonnes_de_dates(tableau, groupe):
			for colonne in groupe:
				colonne.cible, colonne.origine = "date_repetee", "contenu"
	_un_seul_par_cible(colonnes)
	# No accompaniment date: the first column of dates named « Date … » becomes it.
	cibles = [c.cible for c in colonnes]
	if not {"date", "date_repetee"} & set(cibles):
		for colonne in colonnes:
			if (
				colonne.cible == "note"
				and colonne.cle.startswith("date")
				and _colonnes_de_dates(tableau, [colonne])
			):
				colonne.cible, colonne.origine = "date", "contenu"
				break


def _un_seul_par_cible(colonnes: list[Colonne]) -> None:
	vues: set[str] = set()
	for colonne in colonnes:
		if colonne.cible in UNIQUES and colonne.cible in vues:
			colonne.cible = (
				"telephone_2" if colonne.cible == "telephone" and "telephone_2" not in vues else "note"
			)
			colonne.origine = "defaut"
		vues.add(colonne.cible)


def _colonnes_de_dates(tableau: Tableau, colonnes: list[Colonne]) -> bool:
	from suivi_social.imports.normalisation import ValeurIllisible, lire_date

	valeurs = [v for c in colonnes for v in _valeurs(tableau, c.index, 50)]
	if not valeurs:
		return True
	lisibles = 0
	for valeur in valeurs:
		if isinstance(valeur, datetime.date):
			lisibles += 1
			continue
		try:
			lisibles += lire_date(valeur) is not None
		except ValeurIllisible:
			pass
	return lisibles >= 0.6 * len(valeurs)


def correspondance_en_dict(colonnes: list[Colonne]) -> dict[str, str]:
	"""What a template stores: header key → target."""
	return {c.cle: c.cible for c in colonnes}


def verifier(colonnes: list[Colonne]) -> list[str]:
	"""What makes a mapping unusable, in French (empty when it can be imported)."""
	cibles = {c.cible for c in colonnes}
	problemes = []
	ensemble = {"nom_prenom", "prenom_nom"} & cibles
	if not ensemble and not {"nom", "nom_naissance"} & cibles:
		problemes.append("aucune colonne ne donne le nom des personnes")
	if not ensemble and "prenoms" not in cibles:
		problemes.append("aucune colonne ne donne le prénom des personnes")
	inconnues = [c.cible for c in colonnes if c.cible not in CIBLES]
	if inconnues:
		problemes.append(f"cibles inconnues : {', '.join(inconnues)}")
	return problemes
