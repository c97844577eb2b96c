"""Dashboard chart source « Accompagnements par type et par mois »: computed in suivi_social.dossiers.tableau_de_bord."""

from suivi_social.dossiers import tableau_de_bord

get = tableau_de_bord.source_de_graphique(tableau_de_bord.accompagnements_par_type_et_par_mois)
