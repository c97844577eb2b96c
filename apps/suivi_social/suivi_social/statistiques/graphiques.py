"""Charts of the yearly report's PDF, drawn here as SVG.

Why not Frappe Charts: they are drawn by JavaScript in the browser, and the PDF is made on the
server by wkhtmltopdf from HTML that must be self-contained (impression.py). Plain SVG, inlined
in that HTML, needs no script and no fetch, and stays sharp when printed. Two shapes cover the
report: vertical bars (months, one or two series) and horizontal bars (categories with long
labels: typologies, age brackets, communes)."""

from html import escape

COULEURS = ("#2490ef", "#5e64ff", "#29cd42", "#ffa00a", "#ff5858", "#743ee2")
POLICE = 'font-family="Helvetica, Arial, sans-serif"'


def _nombre(valeur: float) -> str:
	"""French thousands separator (a thin space), no decimals for counts."""
	if isinstance(valeur, float) and not valeur.is_integer():
		return f"{valeur:,.2f}".replace(",", "\u202f").replace(".", ",")
	return f"{int(valeur):,}".replace(",", "\u202f")


def _graduation(maximum: float) -> tuple[float, int]:
	"""A round step for about four grid lines, and their count."""
	if maximum <= 0:
		return 1, 1
	brut = maximum / 4
	puissance = 10 ** (len(str(int(brut))) - 1)
	for multiple in (1, 2, 2.5, 5, 10):
		pas = multiple * puissance
		if pas >= brut:
			break
	nombre = int(-(-maximum // pas))
	return pas, max(nombre, 1)


def barres_verticales(
	labels: list[str], series: list[tuple[str, list[float]]], largeur: int = 720, hauteur: int = 260
) -> str:
	"""Grouped vertical bars with a legend, e.g. accompaniments and beneficiaries per month."""
	marge_gauche, marge_bas, marge_haut = 56, 46, 28
	zone_l, zone_h = largeur - marge_gauche - 10, hauteur - marge_bas - marge_haut
	maximum = max([v for _nom, valeurs in series for v in valeurs] or [0])
	pas, nombre = _graduation(maximum)
	echelle = zone_h / (pas * nombre)
	parts = [
		f'<svg xmlns="http://www.w3.org/2000/svg" width="{largeur}" height="{hauteur}" '
		f'viewBox="0 0 {largeur} {hauteur}" {POLICE} font-size="10">'
	]
	for i in range(nombre + 1):
		y = marge_haut + zone_h - i * pas * echelle
		parts.append(
			f'<line x1="{marge_gauche}" y1="{y:.1f}" x2="{largeur - 10}" y2="{y:.1f}" stroke="#e2e6e9"/>'
			f'<text x="{marge_gauche - 6}" y="{y + 3:.1f}" text-anchor="end" fill="#6c7680">'
			f"{_nombre(i * pas)}</text>"
		)
	groupe = zone_l / max(len(labels), 1)
	barre = groupe * 0.7 / max(len(series), 1)
	for j, label in enumerate(labels):
		x0 = marge_gauche + j * groupe + groupe * 0.15
		for k, (_nom, valeurs) in enumerate(series):
			valeur = valeurs[j] if j < len(valeurs) else 0
			h = valeur * echelle
			parts.append(
				f'<rect x="{x0 + k * barre:.1f}" y="{marge_haut + zone_h - h:.1f}" width="{barre * 0.92:.1f}" '
				f'height="{h:.1f}" fill="{COULEURS[k % len(COULEURS)]}"/>'
			)
		parts.append(
			f'<text x="{marge_gauche + (j + 0.5) * groupe:.1f}" y="{marge_haut + zone_h + 14}" '
			f'text-anchor="middle" fill="#36414c">{escape(label)}</text>'
		)
	x = marge_gauche
	for k, (nom, _valeurs) in enumerate(series):
		parts.append(
			f'<rect x="{x}" y="{hauteur - 16}" width="10" height="10" fill="{COULEURS[k % len(COULEURS)]}"/>'
			f'<text x="{x + 14}" y="{hauteur - 7}" fill="#36414c">{escape(nom)}</text>'
		)
		x += 24 + 7 * len(nom)
	parts.append("</svg>")
	return "".join(parts)


def barres_horizontales(
	labels: list[str], valeurs: list[float], largeur: int = 720, couleur: str = COULEURS[0]
) -> str:
	"""One horizontal bar per category, its value written at its end."""
	hauteur_ligne, marge_haut = 20, 6
	marge_gauche = min(max([len(label) for label in labels] or [0]) * 6 + 12, 300)
	zone_l = largeur - marge_gauche - 70
	maximum = max(valeurs or [0]) or 1
	hauteur = marge_haut * 2 + hauteur_ligne * len(labels)
	parts = [
		f'<svg xmlns="http://www.w3.org/2000/svg" width="{largeur}" height="{hauteur}" '
		f'viewBox="0 0 {largeur} {hauteur}" {POLICE} font-size="10">'
	]
	for i, (label, valeur) in enumerate(zip(labels, valeurs, strict=True)):
		y = marge_haut + i * hauteur_ligne
		w = zone_l * valeur / maximum
		texte = label if len(label) <= 48 else label[:47] + "…"
		parts.append(
			f'<text x="{marge_gauche - 6}" y="{y + 13}" text-anchor="end" fill="#36414c">{escape(texte)}</text>'
			f'<rect x="{marge_gauche}" y="{y + 3}" width="{w:.1f}" height="{hauteur_ligne - 6}" fill="{couleur}"/>'
			f'<text x="{marge_gauche + w + 4:.1f}" y="{y + 13}" fill="#36414c">{_nombre(valeur)}</text>'
		)
	parts.append("</svg>")
	return "".join(parts)
