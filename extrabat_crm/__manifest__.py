{
    "name": "Extrabat CRM",
    "summary": "Codes clients, statut client et corbeille, questions "
    "complémentaires, fusion sans perte : les habitudes d'Extrabat dans Odoo",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/extrabat-odoo/extrabat-addons",
    "author": "Extrabat CRM addons contributors",
    "license": "LGPL-3",
    "depends": [
        "contacts",
        "sale_management",
        "account",
        "l10n_fr_account",
    ],
    "external_dependencies": {"python": ["extrabat_core"]},
    "data": [
        "security/extrabat_crm_groups.xml",
        "security/ir.model.access.csv",
    ],
}
