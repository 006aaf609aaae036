{
    "name": "Extrabat Stock",
    "summary": "Code client sur les bons de livraison faits sans commande, "
    "et les bons de livraison dans le tableau de bord par e-mail",
    "version": "19.0.1.0.0",
    "category": "Inventory/Delivery",
    "website": "https://github.com/extrabat-odoo/extrabat-addons",
    "author": "Extrabat CRM addons contributors",
    "license": "LGPL-3",
    "depends": [
        "extrabat_crm",
        "extrabat_dashboard_mail",
        "sale_stock",
    ],
    "external_dependencies": {"python": ["extrabat_core"]},
    "data": [
        "data/extrabat_dashboard_element_data.xml",
        "views/stock_picking_views.xml",
        "report/report_deliveryslip.xml",
    ],
    "auto_install": True,
}
