{
    "name": "Extrabat Dashboard by Email",
    "summary": "Chaque utilisateur reçoit son tableau de bord par e-mail, "
    "à la périodicité de son choix",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/extrabat-odoo/extrabat-addons",
    "author": "Extrabat CRM addons contributors",
    "license": "LGPL-3",
    "depends": [
        "extrabat_crm",
        "sale",
        "account",
        "mail",
        "calendar",
    ],
    "external_dependencies": {"python": ["extrabat_core"]},
    "data": [
        "security/ir.model.access.csv",
    ],
}
