import { registry } from "@web/core/registry";

/**
 * Contacts list: type a phone number as people say it, the clients saved
 * with it in other formats are found (a filter); select 2 of the 3, then
 * Actions › Export the complementary questions: the dialog says it exports
 * the 2 selected clients, not the whole filter. The test
 * (test_phone_export_tour.py) creates the clients and runs the tour at
 * desktop size and at phone size (touch: a long press selects a row).
 */
const row = (name) => `.o_list_view .o_data_row:contains(${name})`;

function selectRows(isMobile) {
    if (!isMobile) {
        return ["Tour Export A", "Tour Export B"].map((name) => ({
            content: `Select ${name}`,
            trigger: `${row(name)} .o_list_record_selector input`,
            run: "click",
        }));
    }
    return [
        {
            content: "Long press on Tour Export A selects it",
            trigger: row("Tour Export A"),
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
            content: "In selection mode, a tap selects Tour Export B",
            trigger: ".o_list_view:has(.o_data_row_selected) .o_data_row:contains(Tour Export B) td.o_data_cell",
            run: "click",
        },
    ];
}

function phoneExportSteps(isMobile) {
    return [
        ...(isMobile
            ? [
                  // On a phone, Contacts opens in kanban: switch to the list.
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
              ]
            : []),
        {
            content: "Type the number as people say it",
            trigger: ".o_searchview_input",
            run: "edit 06 12 45 78 90",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The 3 clients saved with that number in other formats are found",
            trigger: `${row("Tour Export C")}`,
        },
        {
            content: "and only them",
            trigger: ".o_list_view:has(.o_data_row:contains(Tour Export A)):has(.o_data_row:contains(Tour Export B)):not(:has(.o_data_row:contains(Tour Other)))",
        },
        ...selectRows(isMobile),
        {
            content: "2 selected",
            trigger: ".o_selection_box:contains(2)",
        },
        {
            content: "Open the actions",
            trigger: ".o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content: "Export the complementary questions",
            trigger: ".o-dropdown--menu .o-dropdown-item:contains(Export the complementary questions)",
            run: "click",
        },
        {
            content: "The dialog exports the 2 selected clients, not the filter",
            trigger: ".modal .o_extrabat_export_scope:contains(the 2 selected clients)",
        },
        {
            content: "Close",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "Closed",
            trigger: "body:not(:has(.modal))",
        },
    ];
}

registry.category("web_tour.tours").add("extrabat_crm_phone_export_tour", {
    steps: () => phoneExportSteps(false),
});
registry.category("web_tour.tours").add("extrabat_crm_phone_export_mobile_tour", {
    steps: () => phoneExportSteps(true),
});
