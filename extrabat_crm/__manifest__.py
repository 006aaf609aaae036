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
        "data/extrabat_client_status_data.xml",
        "data/ir_cron_data.xml",
        "data/ir_actions_server_data.xml",
        "wizards/extrabat_client_code_assign_wizard_views.xml",
        "views/extrabat_client_status_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/extrabat_crm_menus.xml",
    ],
    "demo": [
        "demo/extrabat_crm_demo.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "extrabat_crm/static/src/js/tours/*.js",
        ],
    },
    "post_init_hook": "post_init_hook",
}
