{
    "name": "Extrabat Background Jobs",
    "summary": "Lots de courriers PDF, tableaux de bord par e-mail, codes clients "
    "et RGPD en tâches de fond (OCA queue_job), sur des canaux nommés",
    "version": "19.0.1.0.0",
    "category": "Sales/CRM",
    "website": "https://github.com/extrabat-odoo/extrabat-addons",
    "author": "Extrabat CRM addons contributors",
    "license": "LGPL-3",
    "depends": [
        "queue_job",
        "extrabat_crm",
        "extrabat_letters",
        "extrabat_dashboard_mail",
    ],
    "external_dependencies": {"python": ["extrabat_core"]},
    "data": [
        "security/ir.model.access.csv",
        "security/extrabat_queue_security.xml",
        "data/queue_job_channel_data.xml",
        "data/queue_job_function_data.xml",
        "wizards/extrabat_letter_generate_views.xml",
        "views/extrabat_letter_batch_views.xml",
        "views/extrabat_letter_views.xml",
        "views/extrabat_queue_menus.xml",
    ],
    "auto_install": True,
}
