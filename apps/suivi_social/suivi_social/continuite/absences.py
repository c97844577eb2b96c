"""Who covers whom, computed from the Absence records and the day: nothing is copied or reassigned
for an absence, so when it ends (or is deleted, or shortened) everything is back with its owner.

Other modules route through these functions: the morning digest of rappels (who receives an
absent agent's rappels), the Accueil page (who to name instead of an absent référent), the
notifications of new rappels and appointments (continuite/notifications.py), and the reading of a
Compte Rendu Prive by the covering colleague (permissions/compte_rendu_prive.py).

Chains: the colleague named in an absence may be absent too (their own absence recorded later).
The work then follows the chain to the first colleague who is present, never leaving the
structure of the first absence; when no one present can be reached (the named colleague left the
structure, or a loop), it stays with the absent agent. Only the work follows a chain: the private
reports are shared with the colleague the absent agent named, and no one else."""

import frappe
from frappe.utils import getdate, today

from suivi_social.permissions.structure import is_agent_of

# More hops than any real team has; only a guard against loops left by hand-edited data.
CHAINE_MAX = 10


def absence_en_cours(agent: str, jour=None) -> str | None:
	"""The Absence of this agent on this day (default today), or None.

	There is at most one: absences of one agent never overlap (Absence.validate_chevauchement)."""
	jour = getdate(jour or today())
	return frappe.db.get_value("Absence", {"agent": agent, "du": ("<=", jour), "au": (">=", jour)}, "name")


def remplacant(agent: str, jour=None, *, structure: str | None = None) -> str:
	"""The user who covers `agent` on `jour` (default today), or `agent` itself when they are not
	absent or no one present can cover them.

	`structure`: the structure of the record being routed (a rappel, an appointment). An absence
	is recorded in one structure, with a colleague of that structure; an agent of several
	structures is covered only in that one, so that a record never goes to someone of another
	structure. Callers that route a structure-bound record should pass it."""
	jour = getdate(jour or today())
	absence = _absence(agent, jour)
	if not absence or (structure and absence.structure != structure):
		return agent
	structure = absence.structure
	vus = {agent}
	suivant = absence.remplacant
	for _ in range(CHAINE_MAX):
		if suivant in vus or not est_agent_actif(suivant, structure):
			return agent
		absence = _absence(suivant, jour)
		if not absence:
			return suivant
		vus.add(suivant)
		suivant = absence.remplacant
	return agent


def remplaces(user: str, jour=None, *, structure: str | None = None) -> list[str]:
	"""The absent agents whose work goes to `user` on `jour` (the inverse of `remplacant`), for
	the « Mes rappels » lists and the Accueil page."""
	jour = getdate(jour or today())
	filters = {"du": ("<=", jour), "au": (">=", jour), "agent": ("!=", user)}
	if structure:
		filters["structure"] = structure
	agents = frappe.get_all("Absence", filters=filters, pluck="agent")
	return sorted(a for a in agents if remplacant(a, jour, structure=structure) == user)


def comptes_rendus_partages(user: str, jour=None) -> list[frappe._dict]:
	"""(agent, structure) of the absences that let `user` read the absent agent's private reports
	on `jour`: the agent named `user` as their colleague and ticked the sharing box."""
	jour = getdate(jour or today())
	return frappe.get_all(
		"Absence",
		filters={"remplacant": user, "partager_comptes_rendus": 1, "du": ("<=", jour), "au": (">=", jour)},
		fields=["agent", "structure"],
	)


def est_agent_actif(user: str, structure: str) -> bool:
	"""An enabled user who still belongs to the structure."""
	return bool(frappe.db.get_value("User", user, "enabled")) and is_agent_of(user, structure)


def _absence(agent: str, jour) -> frappe._dict | None:
	return frappe.db.get_value(
		"Absence",
		{"agent": agent, "du": ("<=", jour), "au": (">=", jour)},
		["name", "structure", "remplacant", "partager_comptes_rendus"],
		as_dict=True,
	)
