import { registry } from "@web/core/registry";

/**
 * The trash at phone size (390×844, touch) and on a computer, from the form
 * of "Tour Dupont" opened in the trash action (test_trash_phone_tour.py;
 * "Tour Kept" is already in the trash, nothing else is):
 * no Delete in the Actions menu; the status "Trash" of the status bar asks
 * the confirmation of the "Put in the Trash" button (cancel, then confirm);
 * the ribbon leaves the trash banner visible; in the trash, a card with
 * Restore on a phone, a row on a computer; Restore says so; a search that
 * hides the clients of the trash says "no match", an empty trash says empty.
 */
const SEARCH_DUPONT = [
    {
        content: "Show the search bar (phone)",
        trigger: ".o_kanban_view .o_control_panel_navigation button:has(i.fa-search)",
        run: "click",
        isActive: ["mobile"],
    },
    {
        content: "Search the client",
        trigger: ".o_searchview_input",
        run: "edit Tour Dupont",
    },
    {
        trigger: ".o_searchview_input",
        run: "press Enter",
    },
    {
        content: "The search shows only the client",
        trigger: ".o_searchview_facet:contains(Tour Dupont)",
    },
];

/**
 * Restore a client from the trash: the button of its card on a phone, of its
 * row on a computer, on screen (the phone's defect was a Restore column off
 * screen, right of a wide table).
 */
function restoreSteps(name) {
    const run = function (helpers) {
        const rect = this.anchor.getBoundingClientRect();
        if (rect.width === 0 || rect.left < 0 || rect.right > window.innerWidth) {
            throw new Error(`Restore is off screen: ${JSON.stringify(rect)}`);
        }
        return helpers.click();
    };
    return [
        {
            content: `Restore ${name} from its card`,
            trigger: `.o_kanban_view .o_kanban_record:contains(${name}) button[name='action_restore']`,
            run,
            isActive: ["mobile"],
        },
        {
            content: `Restore ${name} from its row`,
            trigger: `.o_list_view .o_data_row:contains(${name}) button[name='action_restore']`,
            run,
            isActive: ["desktop"],
        },
    ];
}

function chooseTrashStatus() {
    return [
        {
            content: "Open the statuses (phone: one dropdown)",
            trigger: ".o_statusbar_status .dropdown-toggle:visible",
            run: "click",
            isActive: ["mobile"],
        },
        {
            content: "Choose the status Trash (phone)",
            trigger: ".o-dropdown--menu .dropdown-item:contains(Trash)",
            run: "click",
            isActive: ["mobile"],
        },
        {
            content: "Choose the status Trash",
            trigger: ".o_statusbar_status button.o_arrow_button:contains(Trash):visible",
            run: "click",
            isActive: ["desktop"],
        },
    ];
}

registry.category("web_tour.tours").add("extrabat_crm_trash_phone_tour", {
    steps: () => [
        {
            content: "The form of the client is open",
            trigger: ".o_form_view .o_statusbar_status",
        },
        {
            content: "Open the Actions menu",
            trigger: ".o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            content: "It offers no Delete (the server refuses it)",
            trigger: ".o-dropdown--menu:has(.o-dropdown-item):not(:has(i.fa-trash-o))",
        },
        {
            content: "Close the Actions menu",
            trigger: ".o_cp_action_menus button:has(i.fa-cog)",
            run: "click",
        },
        {
            trigger: "body:not(:has(.o-dropdown--menu))",
        },
        ...chooseTrashStatus(),
        {
            content: "The status bar asks for the confirmation: cancel",
            trigger: ".modal .modal-footer .btn-secondary",
            run: "click",
        },
        {
            content: "Cancelled: the client is not in the trash",
            trigger: "body:not(:has(.modal)) .o_form_view:not(:has(div[name='trash_info']))",
        },
        ...chooseTrashStatus(),
        {
            content: "Confirm",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The trash banner and the ribbon are shown",
            trigger: ".o_form_view:has(.ribbon:visible) div[name='trash_info']:visible",
            run() {
                const banner = this.anchor.getBoundingClientRect();
                const ribbon = document
                    .querySelector(".o_form_view .ribbon")
                    .getBoundingClientRect();
                const overlap =
                    banner.left < ribbon.right &&
                    ribbon.left < banner.right &&
                    banner.top < ribbon.bottom &&
                    ribbon.top < banner.bottom;
                if (overlap) {
                    throw new Error("The ribbon covers the trash banner");
                }
                if (banner.right > window.innerWidth) {
                    throw new Error("The trash banner is wider than the screen");
                }
            },
        },
        {
            content: "Back to the trash",
            trigger: ".o_back_button",
            run: "click",
        },
        {
            content: "A phone shows the trash as cards",
            trigger: ".o_kanban_view .o_kanban_record:contains(Tour Kept)",
            isActive: ["mobile"],
        },
        {
            content: "A computer shows the trash as a list",
            trigger: ".o_list_view .o_data_row:contains(Tour Kept)",
            isActive: ["desktop"],
        },
        ...SEARCH_DUPONT,
        ...restoreSteps("Tour Dupont"),
        {
            content: "A notification says it is restored",
            trigger: ".o_notification.o_extrabat_restored:contains(Tour Dupont)",
        },
        {
            content: "The search hides the client left in the trash: no match, not empty",
            trigger: ".o_extrabat_trash_no_match",
        },
        {
            trigger: "body:not(:has(.o_extrabat_trash_empty))",
        },
        {
            content: "Remove the search",
            trigger: ".o_searchview_facet .o_facet_remove",
            run: "click",
        },
        ...restoreSteps("Tour Kept"),
        {
            content: "Restored",
            trigger: ".o_notification.o_extrabat_restored:contains(Tour Kept)",
        },
        {
            content: "Now the trash really is empty, and says so",
            trigger: ".o_extrabat_trash_empty",
        },
        {
            trigger: "body:not(:has(.o_extrabat_trash_no_match))",
        },
    ],
});
