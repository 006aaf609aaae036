{
    "name": "Extrabat Letters",
    "summary": "Modèles de courriers (.docx, .odt ou éditeur), courriers générés "
    "depuis la fiche client, signature sur tablette, envoi de plusieurs documents",
    "version": "19.0.1.2.0",
    "category": "Sales/CRM",
    "website": "https://github.com/extrabat-odoo/extrabat-addons",
    "author": "Extrabat CRM addons contributors",
    "license": "LGPL-3",
    "depends": [
        "extrabat_crm",
        "mail",
        "portal",
    ],
    "external_dependencies": {"python": ["extrabat_core"]},
    "data": [
        "security/extrabat_letters_groups.xml",
        "security/ir.model.access.csv",
        "security/extrabat_letters_security.xml",
        "data/ir_cron_data.xml",
        "data/mail_template_data.xml",
        "report/extrabat_letter_reports.xml",
        "wizards/extrabat_letter_generate_views.xml",
        "wizards/extrabat_letter_sign_wizard_views.xml",
        "wizards/extrabat_document_upload_views.xml",
        "wizards/mail_compose_message_views.xml",
        "views/extrabat_letter_template_views.xml",
        "views/extrabat_letter_views.xml",
        "views/res_partner_views.xml",
        "views/extrabat_letter_flow_views.xml",
        "views/extrabat_letter_portal_templates.xml",
        "views/ir_attachment_client_documents_views.xml",
        "views/res_partner_documents_views.xml",
        "views/extrabat_gdpr_log_views.xml",
        "views/extrabat_letters_menus.xml",
    ],
    "demo": [
        "demo/extrabat_letter_template_demo.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "extrabat_letters/static/src/**/*",
        ],
        "web.assets_tests": [
            "extrabat_letters/static/tests/tours/**/*",
        ],
    },
}
