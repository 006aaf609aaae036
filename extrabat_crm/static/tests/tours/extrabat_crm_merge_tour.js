import { registry } from "@web/core/registry";

/**
 * Merge two clients from the contact list: select both, Actions › Merge,
 * choose the record to keep, read the preview, choose the values to keep
 * (the duplicate's phone; the kept record stays a person), merge: the
 * dialog closes and the list no longer shows the duplicate. The test
 * (test_merge_tour.py) creates "Tour Martin" (a person) and "Tour Martin
 * (doublon)" (a company, as Contacts › New makes it), runs the tour at
 * desktop size and at phone size (touch: a long press selects a row), and
 * checks the database afterwards.
 */
const row = (name) => `.o_list_view .o_data_row:contains(${name})`;
const keptRow = `.o_list_view .o_data_row:contains(Tour Martin):not(:contains(doublon))`;
const choice = (field, kept) =>
    `.modal .o_extrabat_merge_choice[data-field='${field}'] input[data-kept='${kept ? 1 : 0}']`;

function openList(isMobile) {
    if (!isMobile) {
        return [];
    }
    // On a phone, Contacts opens in kanban: switch to the list.
    return [
        {
            content: "Open the view switcher",
            trigger: ".o_cp_switch_buttons button",
            run: "click",
        },
        {
            content: "Choose the list",
            trigger: ".o-dropdown--menu .o-dropdown-item:has(.oi-view-list)",
            run: "click",
        },
        {
            content: "Show the search bar",
            trigger: ".o_list_view .o_control_panel_navigation button:has(i.fa-search)",
            run: "click",
        },
    ];
}

function selectRows(isMobile) {
    if (!isMobile) {
        return [
            {
                content: "Select the record to keep",
                trigger: `${keptRow} td.o_list_record_selector input[type="checkbox"]`,
                run: "click",
            },
            {
                content: "Select its duplicate",
                trigger: `${row("doublon")} td.o_list_record_selector input[type="checkbox"]`,
                run: "click",
            },
        ];
    }
    return [
        {
            content: "Long press on the record to keep selects it",
            trigger: keptRow,
            async run() {
                const cell = this.anchor.querySelector("td.o_data_cell");
                const touch = () => [
                    new Touch({ identifier: 1, target: cell, clientX: 10, clientY: 10 }),
                ];
                cell.dispatchEvent(
                    new TouchEvent("touchstart", { bubbles: true, touches: touch() })
                );
                await new Promise((resolve) => setTimeout(resolve, 600));
                cell.dispatchEvent(
                    new TouchEvent("touchend", { bubbles: true, changedTouches: touch() })
                );
            },
        },
        {
            content: "In selection mode, a tap selects the duplicate",
            trigger: `.o_list_view:has(.o_data_row_selected) ${row("doublon").replace(".o_list_view ", "")} td.o_data_cell`,
            run: "click",
        },
    ];
}

function chooseKept(isMobile) {
    if (!isMobile) {
        return [
            {
                content: "Choose the record to keep",
                trigger: ".modal .o_field_widget[name='dst_partner_id'] input",
                run: "edit Tour Martin",
            },
            {
                trigger: ".o-autocomplete--dropdown-item a:not(:contains(doublon)):contains(Tour Martin)",
                run: "click",
            },
        ];
    }
    // On a phone, the field opens a search dialog (cards).
    return [
        {
            content: "Choose the record to keep",
            trigger: ".modal .o_field_widget[name='dst_partner_id'] input",
            run: "click",
        },
        {
            trigger: ".modal .o_kanban_record:contains(Tour Martin):not(:contains(doublon))",
            run: "click",
        },
    ];
}

function mergeSteps(isMobile) {
    return [
        ...openList(isMobile),
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
        ...selectRows(isMobile),
        {
            content: "Two records selected",
            trigger: ".o_selection_box:contains(2)",
        },
        {
            content: "Open the actions",
            trigger: ".o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content: "Merge",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Merge)",
            run: "click",
        },
        ...chooseKept(isMobile),
        {
            content: "The preview shows the kept record first, with its client code",
            trigger: ".modal .o_extrabat_merge_preview thead th.table-success:contains(Tour Martin):not(:contains(doublon))",
        },
        {
            trigger: ".modal .o_extrabat_merge_preview td:contains(C77001)",
        },
        {
            content: "Person or company is shown, the kept record's (a person) chosen",
            trigger: `${choice("is_company", true)}:checked`,
        },
        {
            content: "The duplicate's address is shown too",
            trigger: ".modal .o_extrabat_merge_choice[data-field='address']:contains(avenue Foch)",
        },
        {
            content: "Keep the duplicate's phone",
            trigger: choice("phone", false),
            run: "click",
        },
        {
            trigger: `${choice("phone", false)}:checked`,
        },
        {
            content: "Merge them",
            trigger: ".modal .modal-footer button[name='action_merge']",
            run: "click",
        },
        {
            content: "The dialog closes (no 'no more contacts to merge' screen)",
            trigger: "body:not(:has(.modal))",
        },
        {
            content: "The list is refreshed: the duplicate (now in the trash) is gone",
            trigger: `.o_list_view:has(${keptRow.replace(".o_list_view ", "")}):not(:has(.o_data_row:contains(doublon)))`,
        },
    ];
}

registry.category("web_tour.tours").add("extrabat_crm_merge_tour", {
    steps: () => mergeSteps(false),
});
registry.category("web_tour.tours").add("extrabat_crm_merge_mobile_tour", {
    steps: () => mergeSteps(true),
});
