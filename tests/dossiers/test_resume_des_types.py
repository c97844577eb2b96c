"""Accompagnement.resumer_types: the types summed up on the accompaniment, which the statistics per
type read instead of its Type Accompagnement Lien rows for those with one type. A stale summary
would count an accompaniment under a type it no longer has: it must follow every save, and the
patch must give it to the accompaniments written before."""

import frappe

from suivi_social.patches.v0_1 import resumer_types_des_accompagnements
from tests.factories import make_accompagnement


def resume(name: str) -> tuple:
	return tuple(frappe.db.get_value("Accompagnement", name, ["typologie_seule", "plusieurs_typologies"]))


def test_le_resume_suit_chaque_enregistrement(monde):
	acc = make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a)
	assert resume(acc.name) == (monde.type_a, 0)

	acc.append("types_accompagnement", {"type_accompagnement": monde.aide_a})
	acc.save(ignore_permissions=True)
	assert resume(acc.name) == (None, 1)

	acc.set("types_accompagnement", [{"type_accompagnement": monde.aide_a}])
	acc.save(ignore_permissions=True)
	assert resume(acc.name) == (monde.aide_a, 0)


def test_une_copie_ne_garde_pas_le_resume_de_l_original(monde):
	"""A copy (« Dupliquer ») whose types are changed before its first save: its own summary."""
	acc = make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a)
	copie = frappe.copy_doc(acc)
	copie.set("types_accompagnement", [{"type_accompagnement": monde.aide_a}])
	copie.insert(ignore_permissions=True)
	assert resume(copie.name) == (monde.aide_a, 0)


def test_le_correctif_resume_les_accompagnements_d_avant(monde):
	un = make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a)
	deux = make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a)
	deux.append("types_accompagnement", {"type_accompagnement": monde.aide_a})
	deux.save(ignore_permissions=True)
	sans = make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a)
	frappe.db.delete("Type Accompagnement Lien", {"parent": sans.name})
	# As they were written before the two columns existed.
	for acc in (un, deux, sans):
		frappe.db.set_value("Accompagnement", acc.name, {"typologie_seule": None, "plusieurs_typologies": 0})

	resumer_types_des_accompagnements.execute()

	assert resume(un.name) == (monde.type_a, 0)
	assert resume(deux.name) == (None, 1)
	assert resume(sans.name) == (None, 0)  # « Non renseigné » in the statistics
