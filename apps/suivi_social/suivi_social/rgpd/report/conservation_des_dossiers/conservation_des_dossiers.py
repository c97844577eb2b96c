"""Conservation des dossiers: the dry run of the retention (rgpd/conservation.py) for one structure,
and, from its button, the run itself (conservation.lancer_conservation, confirmed)."""

import frappe
from frappe import _

from suivi_social.rgpd import conservation
from suivi_social.statistiques.rapports import colonne, note, resume

A_ARCHIVER = "À archiver"
A_ANONYMISER = "À anonymiser"


def execute(filters: dict | None = None):
	structure = (filters or {}).get("structure")
	if not structure:
		frappe.throw(_("Choisissez une structure."), frappe.ValidationError)
	conservation.verifier_acces(structure)
	apercu = conservation.apercu(structure)
	columns = [
		colonne("action", "Opération", "Data", 130),
		{**colonne("dossier", "Dossier", "Link", 130), "options": "Beneficiaire"},
		colonne("nom_complet", "Nom", "Data", 220),
		colonne("statut", "Statut", "Data", 100),
		colonne("derniere_activite", "Dernière activité", "Date", 140),
		colonne("dernier_contact", "Dernier contact", "Date", 130),
		colonne("archive_le", "Archivé le", "Date", 120),
		colonne("demandes_en_cours", "Demandes en cours", "Int", 140),
	]
	data = [ligne(A_ARCHIVER, d) for d in apercu.a_archiver] + [
		ligne(A_ANONYMISER, d) for d in apercu.a_anonymiser
	]
	automatique = frappe.db.get_value("Structure", structure, "conservation_automatique")
	message = note(
		_(
			"Aperçu, rien n'est modifié : un dossier sans activité (contact, accompagnement, rappel, "
			"décision ou paiement) depuis {0} mois est archivé ; un dossier archivé depuis {1} mois sans "
			"activité est anonymisé (identité, coordonnées, textes libres et documents effacés, y compris "
			"leurs copies dans l'historique ; l'année de naissance, le genre, la commune, la situation, "
			"le logement, les ressources, les typologies, les dates et les montants restent pour les "
			"statistiques)."
		).format(apercu.duree_avant_archivage, apercu.duree_avant_anonymisation),
		_("Les durées se règlent sur la fiche de la structure ; elles sont à valider par votre DPO.")
		+ " "
		+ (
			_("La structure applique ces règles automatiquement chaque nuit.")
			if automatique
			else _(
				"La conservation automatique n'est pas activée : rien ne sera fait sans votre "
				"confirmation (bouton « Appliquer maintenant »)."
			)
		),
	)
	summary = resume(
		(A_ARCHIVER, len(apercu.a_archiver), "Int"),
		(A_ANONYMISER, len(apercu.a_anonymiser), "Int"),
	)
	return columns, data, message, None, summary


def ligne(action: str, dossier) -> dict:
	return {
		"action": _(action),
		"dossier": dossier.name,
		"nom_complet": dossier.nom_complet,
		"statut": _(dossier.statut),
		"derniere_activite": dossier.derniere_activite,
		"dernier_contact": dossier.dernier_contact,
		"archive_le": dossier.get("archive_le"),
		"demandes_en_cours": dossier.demandes_en_cours,
	}
