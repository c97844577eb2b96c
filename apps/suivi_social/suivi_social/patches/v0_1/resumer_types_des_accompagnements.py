"""Accompaniments saved before Accompagnement.resumer_types: their single type (or the mark that
they have several) copied from their Type Accompagnement Lien rows, as a save would. One statement:
22 s for the million accompaniments of the benchmark site, a second or so for a CCAS's years."""

import frappe


def execute():
	frappe.db.sql(
		"""update `tabAccompagnement` a
		join (
			select parent, count(distinct type_accompagnement) as nombre, min(type_accompagnement) as seul
			from `tabType Accompagnement Lien`
			where parenttype = 'Accompagnement' and parentfield = 'types_accompagnement'
			group by parent
		) l on l.parent = a.name
		set a.typologie_seule = if(l.nombre = 1, l.seul, null), a.plusieurs_typologies = (l.nombre > 1)"""
	)
