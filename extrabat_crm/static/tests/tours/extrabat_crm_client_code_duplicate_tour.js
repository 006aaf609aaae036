import { registry } from "@web/core/registry";

/**
 * A client's form: type a client code another client already has, save:
 * the server refuses it and the message, naming the other client, is shown;
 * discard. The test (test_client_code_duplicate_tour.py) creates both
 * clients, runs the tour at desktop and at phone size (touch) and checks
 * that the code was not saved.
 */
registry.category("web_tour.tours").add("extrabat_crm_client_code_duplicate_tour", {
    steps: () => [
        {
            content: "The client form is open",
            trigger: ".o_form_view .o_field_widget[name='name'] :is(input, textarea)",
        },
        {
            content: "Type the code of another client",
            trigger: ".o_form_view .o_field_widget[name='ref'] input",
            run: "edit C00042",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Refused: the message names the code and the client holding it",
            trigger: ".modal .modal-body:contains(C00042):contains(Tour Code Holder)",
        },
        {
            content: "Close the message",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Discard the change",
            trigger: "body:not(:has(.modal)) .o_form_button_cancel",
            run: "click",
        },
        {
            content: "The form is back to the saved client, without the code",
            trigger: ".o_form_view:has(.o_form_saved) .o_field_widget[name='ref'] input:not(:value(C00042))",
        },
    ],
});
