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
        "security/extrabat_dashboard_mail_security.xml",
        "data/extrabat_dashboard_element_data.xml",
        "data/ir_cron_data.xml",
        "views/extrabat_dashboard_mail_templates.xml",
        "views/extrabat_dashboard_subscription_views.xml",
        "views/res_users_views.xml",
        "views/res_config_settings_views.xml",
        "views/extrabat_dashboard_mail_menus.xml",
    ],
    "demo": [
        "demo/extrabat_dashboard_mail_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "extrabat_dashboard_mail/static/src/js/*.js",
        ],
        "web.assets_tests": [
            "extrabat_dashboard_mail/static/tests/tours/*.js",
        ],
    },
    "pre_init_hook": "pre_init_hook",
}
