import { registry } from "@web/core/registry";

/**
 * From a client: open its document folder, find the files
 * grouped by folder, switch to the list, open the upload dialog.
 * The test (test_flow_tour.py) prepares a letter and a photo.
 */
registry.category("web_tour.tours").add("extrabat_letters_document_folder_tour", {
    steps: () => [
        {
            content: "Open the client's document folder",
            trigger: ".oe_stat_button[name='action_view_extrabat_documents']",
            run: "click",
        },
        {
            content: "Letters are in the Letters folder",
            trigger: ".o_kanban_group:has(.o_column_title:contains(Letters)) .o_kanban_record:contains(.pdf)",
        },
        {
            content: "Photos are in the Photos folder",
            trigger: ".o_kanban_group:has(.o_column_title:contains(Photos)) .o_kanban_record:contains(Chantier.png)",
        },
        {
            content: "Add documents",
            trigger: ".o_control_panel button.o_extrabat_add_documents, .o_kanban_view button.o_extrabat_add_documents",
            run: "click",
        },
        {
            content: "The upload dialog is for this client",
            trigger: ".modal .o_field_widget[name='partner_id']:contains(Tour Martin)",
        },
        {
            content: "It offers to pick files",
            trigger: ".modal .o_field_many2many_binary",
        },
        {
            content: "Close it",
            trigger: ".modal .modal-footer .btn-secondary",
            run: "click",
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "The list is grouped by folder too",
            trigger: ".o_list_view .o_group_name:contains(Letters)",
        },
    ],
});
