"""Any colleague of the structure takes over a file: its timeline lists every accompaniment and
rappel, newest first, without confidential content; another structure sees none of it."""

import frappe
import pytest
from frappe.desk.form.load import get_additional_timeline_content
from frappe.utils import escape_html

from tests.conftest import as_user
from tests.factories import make_accompagnement


def historique(user, beneficiaire):
	with as_user(user):
		return get_additional_timeline_content("Beneficiaire", beneficiaire)


def test_le_collegue_voit_tout_l_historique(monde):
	make_accompagnement(monde.ben_a.name, monde.type_a, monde.ts_a, statut="Terminé", date="2026-02-03")
	frappe.get_doc(
		{
			"doctype": "Rappel",
			"titre": "Relancer la CAF",
			"date_echeance": "2026-03-01",
			"assigne_a": monde.ts_a,
			"beneficiaire": monde.ben_a.name,
			"structure": monde.a,
		}
	).insert(ignore_permissions=True)
	items = historique(monde.ts_a2, monde.ben_a.name)
	contenu = " ".join(i["content"] for i in items)
	assert "Domiciliation" in contenu and escape_html("Aide d'urgence") in contenu
	assert "Relancer la CAF" in contenu
	dates = [i["creation"] for i in items if "/app/accompagnement/" in i["content"]]
	assert len(dates) >= 2
	assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("user", ["acc_a", "ts_a2"])
def test_pas_de_contenu_confidentiel_dans_l_historique(monde, user):
	contenu = " ".join(i["content"] for i in historique(getattr(monde, user), monde.ben_a.name))
	assert "Secret A" not in contenu
	assert "300" not in contenu


def test_une_autre_structure_ne_voit_rien(monde):
	assert historique(monde.ts_b, monde.ben_a.name) == []
