import { registry } from "@web/core/registry";

/**
 * Merge two clients from the contact list: select both, Actions › Merge,
 * choose the record to keep, read the preview, merge. The test
 * (test_merge_tour.py) creates "Tour Martin" and "Tour Martin (doublon)" and
 * checks the database afterwards.
 */
registry.category("web_tour.tours").add("extrabat_crm_merge_tour", {
    steps: () => [
        {
            content: "Search the two records",
            trigger: ".o_searchview_input",
            run: "edit Tour Martin",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The list shows the two records only",
            trigger: ".o_list_renderer:not(:has(.o_data_row:not(:contains(Tour Martin)))) .o_data_row:contains(doublon)",
        },
        {
            content: "Select the record to keep",
            trigger: '.o_list_renderer tr:not(:contains(doublon)):contains("Tour Martin") td.o_list_record_selector input[type="checkbox"]',
            run: "click",
        },
        {
            content: "Select its duplicate",
            trigger: '.o_list_renderer tr:contains("doublon") td.o_list_record_selector input[type="checkbox"]',
            run: "click",
        },
        {
            content: "Two records selected",
            trigger: ".o_selection_box:contains(2)",
        },
        {
            content: "Open the actions",
            trigger: ".o_cp_action_menus button",
            run: "click",
        },
        {
            content: "Merge",
            trigger: '.o-dropdown--menu span:contains("Merge")',
            run: "click",
        },
        {
            content: "Choose the record to keep",
            trigger: ".modal .o_field_widget[name='dst_partner_id'] input",
            run: "edit Tour Martin",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:not(:contains(doublon)):contains(Tour Martin)",
            run: "click",
        },
        {
            content: "The preview shows the kept record first, with its client code",
            trigger: ".modal .o_extrabat_merge_preview thead th.table-success:contains(Tour Martin):not(:contains(doublon))",
        },
        {
            trigger: ".modal .o_extrabat_merge_preview td:contains(C77001)",
        },
        {
            content: "Merge them",
            trigger: ".modal .modal-footer button[name='action_merge']",
            run: "click",
        },
        {
            content: "Done",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal))",
        },
    ],
});
