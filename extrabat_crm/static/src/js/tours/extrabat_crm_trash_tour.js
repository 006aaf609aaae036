import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

/**
 * Trash a client from its form, find it in Contacts › Trash with the search
 * bar, restore it. The test (test_trash_tour.py) creates "Tour Dupont" and
 * checks the database afterwards.
 */
registry.category("web_tour.tours").add("extrabat_crm_trash_tour", {
    steps: () => [
        {
            content: "The client form is open",
            trigger: ".o_last_breadcrumb_item:contains(Tour Dupont)",
        },
        {
            content: "Put the client in the trash",
            trigger: ".o_form_statusbar button[name='action_trash']",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The form says it is in the trash",
            trigger: ".o_form_view div[name='trash_info']:visible",
        },
        ...stepUtils.goToAppSteps("contacts.menu_contacts", "Open Contacts"),
        {
            content: "Open the trash",
            trigger: "[data-menu-xmlid='extrabat_crm.res_partner_menu_trash_contacts']",
            run: "click",
        },
        {
            content: "Search the client in the trash",
            trigger: ".o_list_view .o_searchview_input",
            run: "edit Tour Dupont",
        },
        {
            trigger: ".o_list_view .o_searchview_input",
            run: "press Enter",
        },
        {
            content: "Open the trashed client",
            trigger: ".o_list_view .o_data_row td[name='complete_name']:contains(Tour Dupont)",
            run: "click",
        },
        {
            content: "Restore it",
            trigger: ".o_form_statusbar button[name='action_restore']",
            run: "click",
        },
        {
            content: "Back to its previous status, out of the trash",
            trigger: ".o_form_view:not(:has(div[name='trash_info']:visible)) .o_statusbar_status button.o_arrow_button_current:contains(Client)",
        },
    ],
});
