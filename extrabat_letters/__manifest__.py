{
    "name": "Extrabat Letters",
    "summary": "Modèles de courriers (.docx, .odt ou éditeur), courriers générés "
    "depuis la fiche client, signature sur tablette, envoi de plusieurs documents",
    "version": "19.0.1.0.0",
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
        "data/mail_template_data.xml",
        "wizards/extrabat_letter_sign_wizard_views.xml",
        "wizards/extrabat_document_upload_views.xml",
        "wizards/mail_compose_message_views.xml",
        "views/ir_attachment_client_documents_views.xml",
        "views/res_partner_documents_views.xml",
        "views/extrabat_letter_flow_views.xml",
        "views/extrabat_letter_portal_templates.xml",
    ],
    "assets": {
        "web.assets_tests": [
            "extrabat_letters/static/tests/tours/**/*",
        ],
    },
}
