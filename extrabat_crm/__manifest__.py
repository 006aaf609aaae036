{
    "name": "Extrabat CRM",
    "summary": "Codes clients, statut client et corbeille, questions "
    "complémentaires, fusion sans perte : les habitudes d'Extrabat dans Odoo",
    "version": "19.0.1.1.0",
    "category": "Sales/CRM",
    "website": "https://github.com/extrabat-odoo/extrabat-addons",
    "author": "Extrabat CRM addons contributors",
    "license": "LGPL-3",
    "depends": [
        "contacts",
        "phone_validation",
        "sale_management",
        "account",
    ],
    "external_dependencies": {"python": ["extrabat_core"]},
    "data": [
        "security/extrabat_crm_groups.xml",
        "security/ir.model.access.csv",
        "security/extrabat_question_security.xml",
        "data/extrabat_client_status_data.xml",
        "data/ir_cron_data.xml",
        "data/ir_actions_server_data.xml",
        "wizards/extrabat_client_code_assign_wizard_views.xml",
        "wizards/extrabat_question_export_views.xml",
        "wizards/base_partner_merge_automatic_wizard_views.xml",
        "views/extrabat_client_status_views.xml",
        "views/extrabat_question_views.xml",
        "views/extrabat_question_answer_views.xml",
        "views/res_partner_views.xml",
        "views/res_config_settings_views.xml",
        "views/extrabat_gdpr_log_views.xml",
        "report/extrabat_question_answer_report_views.xml",
        "views/extrabat_crm_menus.xml",
    ],
    "demo": [
        "demo/extrabat_crm_demo.xml",
        "demo/extrabat_question_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "extrabat_crm/static/src/questions/**/*",
        ],
        "web.assets_tests": [
            "extrabat_crm/static/tests/tours/**/*",
        ],
    },
    "post_init_hook": "post_init_hook",
}
