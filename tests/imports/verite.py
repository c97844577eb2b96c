"""Measures of an import report against the shared ground truth (legacy_cias_sample.truth.json)."""

import itertools
import json
from collections import Counter
from pathlib import Path

ECHANTILLON = Path(__file__).resolve().parents[3] / "shared" / "data" / "legacy_cias_sample.xlsx"
VERITE = ECHANTILLON.with_name("legacy_cias_sample.truth.json")

OBJECTIF_PRECISION = 0.99
OBJECTIF_RAPPEL = 0.97


def charger_verite() -> dict:
	return json.loads(VERITE.read_text())


def mesurer(rapport: dict, verite: dict) -> dict:
	"""People found vs real people, pairwise precision and recall of the person matching, and the
	rows of the truth that the report does not account for."""
	attendu = {(r["sheet"], r["row"]): r["person"] for r in verite["records"]}
	obtenu = {(l["sheet"], l["row"]): l for l in rapport["lignes"]}
	manquantes = sorted(set(attendu) - set(obtenu))
	en_trop = sorted(set(obtenu) - set(attendu))
	issues = Counter(l["outcome"] for l in rapport["lignes"])
	# A rejected row belongs to no file: a person of its own for the measure.
	predit = {
		cle: (l["beneficiaire"] if l["outcome"] != "rejected" and l["beneficiaire"] else f"rejet-{cle}")
		for cle, l in obtenu.items()
		if cle in attendu
	}
	vrais = faux_positifs = faux_negatifs = 0
	for a, b in itertools.combinations(sorted(predit), 2):
		meme_reel = attendu[a] == attendu[b]
		meme_predit = predit[a] == predit[b]
		vrais += meme_reel and meme_predit
		faux_positifs += meme_predit and not meme_reel
		faux_negatifs += meme_reel and not meme_predit
	precision = vrais / (vrais + faux_positifs) if vrais + faux_positifs else 1.0
	rappel = vrais / (vrais + faux_negatifs) if vrais + faux_negatifs else 1.0
	return {
		"lignes_attendues": len(attendu),
		"lignes_rapportees": len(obtenu),
		"lignes_manquantes": manquantes,
		"lignes_en_trop": en_trop,
		"issues": dict(issues),
		"personnes_reelles": len(set(attendu.values())),
		"personnes_trouvees": len({v for v in predit.values() if not v.startswith("rejet-")}),
		"precision": precision,
		"rappel": rappel,
		"faux_positifs": faux_positifs,
		"faux_negatifs": faux_negatifs,
	}


def afficher(mesures: dict) -> str:
	return (
		f"lignes : {mesures['lignes_rapportees']} rapportées / {mesures['lignes_attendues']} attendues "
		f"({mesures['issues']}) ; personnes : {mesures['personnes_trouvees']} trouvées / "
		f"{mesures['personnes_reelles']} réelles ; précision {mesures['precision']:.4f} "
		f"(objectif {OBJECTIF_PRECISION}), rappel {mesures['rappel']:.4f} (objectif {OBJECTIF_RAPPEL})"
	)
