import { registry } from "@web/core/registry";
import { drawSignature } from "./extrabat_letters_sign_tour";

/**
 * From a client: Letters › New › pick the template › Generate (saves the
 * letter and makes its files) › Sign on the signature pad › Send by email with the letter's PDF.
 * The test (test_flow_tour.py) creates the client "Tour Martin" and the
 * template "Tour courrier", runs the tour at desktop size and at phone size
 * (touch), then checks the database. On a phone the stat buttons are behind
 * the ⚡ button and a many2one opens a search dialog: the steps marked
 * "mobile" / "desktop" run at that size only.
 */
registry.category("web_tour.tours").add("extrabat_letters_flow_tour", {
    steps: () => [
        {
            content: "The client form is open",
            trigger: ".o_last_breadcrumb_item:contains(Tour Martin)",
        },
        {
            isActive: ["mobile"],
            content: "On a phone, the stat buttons are behind the ⚡ button",
            trigger: ".o-form-buttonbox .o_button_more",
            run: "click",
        },
        {
            content: "Open the client's letters",
            trigger: ".oe_stat_button[name='action_view_letters']",
            run: "click",
        },
        {
            content: "Add a letter",
            trigger: ".o_control_panel_main_buttons .o_list_button_add, .o_control_panel_main_buttons .o-kanban-button-new",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "Pick the template",
            trigger: ".o_field_widget[name='template_id'] input",
            run: "edit Tour courrier",
        },
        {
            isActive: ["desktop"],
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Tour courrier)",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Open the templates to pick from",
            trigger: ".o_field_widget[name='template_id'] input",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "Pick the template",
            trigger: ".modal .o_kanban_record:contains(Tour courrier)",
            run: "click",
        },
        {
            content: "The template is picked",
            trigger: ".o_field_widget[name='template_id'] input:value(Tour courrier)",
        },
        {
            content: "Generate (saves the letter and makes its files)",
            trigger: ".o_form_statusbar button.o_extrabat_letter_generate",
            run: "click",
        },
        {
            content: "Sign",
            trigger: ".o_form_statusbar button[name='action_sign']",
            run: "click",
        },
        {
            content: "The signer's name is the client's",
            trigger: ".modal .o_field_widget[name='signer_name'] input:value(Tour Martin)",
        },
        {
            content: "The client reads the letter",
            trigger: ".modal iframe.o_extrabat_letter_pdf:iframe .page[data-page-number='1'] canvas",
        },
        {
            content: "The pad is open in Draw mode, the client draws",
            trigger: ".modal .o_web_sign_draw_button.active",
            run: drawSignature,
        },
        {
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign the letter",
            trigger: ".modal .modal-footer button[name='action_sign']",
            run: "click",
        },
        {
            content: "The letter is signed, by the client",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name='signed_by']:contains(Tour Martin)",
        },
        {
            // On a phone the status bar is one dropdown showing the label.
            isActive: ["desktop"],
            content: "The status bar says signed",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='signed']",
        },
        {
            content: "Send it by email",
            trigger: ".o_form_statusbar button[name='action_send_email']",
            run: "click",
        },
        {
            content: "The letter's PDF is among the client documents to send",
            trigger: ".modal .o_field_widget[name='extrabat_document_ids'] .o_data_row:contains(.pdf)",
        },
        {
            content: "Send",
            trigger: ".modal .modal-footer button[name='action_send_mail']",
            run: "click",
        },
        {
            content: "The email is sent, its dialog closed",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name='signed_by']",
        },
        {
            isActive: ["desktop"],
            content: "The status bar says sent (the test checks the state at both sizes)",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='sent']",
        },
    ],
});
