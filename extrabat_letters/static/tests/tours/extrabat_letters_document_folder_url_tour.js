import { registry } from "@web/core/registry";

/**
 * The client's document folder opened from its URL (a link, a new tab, a
 * reload): the client comes from the URL, its documents are listed and the
 * upload dialog is for it. The test (test_flow_tour.py) prepares a letter
 * and a photo.
 */
registry.category("web_tour.tours").add("extrabat_letters_document_folder_url_tour", {
    steps: () => [
        {
            content: "The folder is the client's",
            trigger: ".o_breadcrumb:contains(Tour Martin)",
        },
        {
            content: "Its photo is listed",
            trigger: ".o_kanban_record:contains(Chantier.png)",
        },
        {
            content: "Its letter's PDF is listed",
            trigger: ".o_kanban_record:contains(.pdf)",
        },
        {
            content: "Add documents",
            trigger: "button.o_extrabat_add_documents",
            run: "click",
        },
        {
            content: "The upload dialog is for this client",
            trigger: ".modal .o_field_widget[name='partner_id']:contains(Tour Martin)",
        },
        {
            content: "Close it",
            trigger: ".modal .modal-footer .btn-secondary",
            run: "click",
        },
        {
            trigger: "body:not(:has(.modal)) .o_kanban_record:contains(Chantier.png)",
        },
    ],
});
