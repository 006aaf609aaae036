import { registry } from "@web/core/registry";
import { drawSignature } from "./extrabat_letters_sign_tour";

/**
 * From a client: Letters › New › pick the template › Generate (saves the
 * letter and makes its files) › Sign on the signature pad › Send by email with the letter's PDF.
 * The test (test_flow_tour.py) creates the client "Tour Martin" and the
 * template "Tour courrier", then checks the database.
 */
registry.category("web_tour.tours").add("extrabat_letters_flow_tour", {
    steps: () => [
        {
            content: "The client form is open",
            trigger: ".o_last_breadcrumb_item:contains(Tour Martin)",
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
            content: "Pick the template",
            trigger: ".o_field_widget[name='template_id'] input",
            run: "edit Tour courrier",
        },
        {
            trigger: ".o-autocomplete--dropdown-menu .dropdown-item:contains(Tour courrier)",
            run: "click",
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
            content: "The letter is signed",
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
            content: "The letter is sent",
            trigger: ".o_statusbar_status button.o_arrow_button_current[data-value='sent']",
        },
    ],
});
