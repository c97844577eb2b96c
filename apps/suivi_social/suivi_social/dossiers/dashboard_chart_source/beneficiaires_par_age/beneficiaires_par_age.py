"""Dashboard chart source « Beneficiaires par age »: computed in suivi_social.dossiers.tableau_de_bord."""

from suivi_social.dossiers import tableau_de_bord

get = tableau_de_bord.source_de_graphique(tableau_de_bord.repartition_par_tranche_d_age)
