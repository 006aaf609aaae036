import { browser } from "@web/core/browser/browser";
import { registry } from "@web/core/registry";

/**
 * A letter template: pick a client in "Preview with", click Preview: the
 * letter filled for that client opens in a new tab. The tab is caught (the
 * web client opens it with browser.open) and its content fetched: it must
 * show the client's name. The test (test_template_preview_tour.py) creates
 * the editor template and the client, and runs the tour at desktop size and
 * at phone size (touch).
 */
const CLIENT = "Tour Preview Plomberie";
let previewUrl = null;

function chooseClientSteps(isMobile) {
    if (isMobile) {
        // On a phone, a many2one opens a search dialog of the records.
        return [
            {
                content: "Open the clients to preview the letter with",
                trigger: ".o_field_widget[name='preview_partner_id'] input",
                run: "click",
            },
            {
                content: "Choose the client",
                trigger: `.modal .o_kanban_record:contains(${CLIENT})`,
                run: "click",
            },
        ];
    }
    return [
        {
            content: "Choose the client to preview the letter with",
            trigger: ".o_field_widget[name='preview_partner_id'] input",
            run: `edit ${CLIENT}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-menu .dropdown-item:contains(${CLIENT})`,
            run: "click",
        },
    ];
}

const previewSteps = (isMobile) => [
    {
        content: "The template form is open",
        trigger: ".o_form_view .o_field_widget[name='preview_partner_id'] input",
    },
    ...chooseClientSteps(isMobile),
    {
        content: "The client is chosen; catch the tab the preview opens",
        trigger: `.o_field_widget[name='preview_partner_id'] input:value(${CLIENT})`,
        run() {
            const open = browser.open;
            previewUrl = null;
            browser.open = (url) => {
                previewUrl = url;
                browser.open = open;
                return { closed: false };
            };
        },
    },
    {
        content: "Preview",
        trigger: ".o_form_view button[name='action_preview']",
        run: "click",
    },
    {
        content: "The preview opens (no 'Choose a client' error)",
        trigger: ".o_form_view",
        async run() {
            for (let i = 0; i < 150 && !previewUrl; i++) {
                if (document.querySelector(".modal .modal-body")) {
                    const message = document.querySelector(".modal .modal-body").textContent;
                    throw new Error(`No preview: ${message}`);
                }
                await new Promise((resolve) => setTimeout(resolve, 100));
            }
            if (!previewUrl) {
                throw new Error("The preview did not open");
            }
            const response = await fetch(previewUrl);
            const shown = document.createElement("div");
            shown.className = "o_extrabat_test_preview position-fixed top-0 start-0";
            shown.textContent = await response.text();
            document.body.append(shown);
        },
    },
    {
        content: "The preview shows the client's name",
        trigger: `.o_extrabat_test_preview:contains(${CLIENT})`,
        run() {
            this.anchor.remove();
        },
    },
];

registry.category("web_tour.tours").add("extrabat_letters_template_preview_tour", {
    steps: () => previewSteps(false),
});
registry.category("web_tour.tours").add("extrabat_letters_template_preview_mobile_tour", {
    steps: () => previewSteps(true),
});
