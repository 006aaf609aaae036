import { registry } from "@web/core/registry";

/**
 * Sales: a salesperson confirms the quotation of a new client, opens the
 * client from the order: its form shows the client code given at the
 * confirmation. The test (test_client_code_confirm_tour.py) creates the
 * quotation, runs the tour at desktop and at phone size (touch; Confirm may
 * be behind the ⋮ button) and checks the code in the database.
 */
registry.category("web_tour.tours").add("extrabat_crm_client_code_confirm_tour", {
    steps: () => [
        {
            content: "The quotation is open, its client still editable",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
        },
        {
            isActive: ["mobile"],
            content: "On a phone, Confirm may be behind the ⋮ button",
            trigger: ".o_statusbar_buttons",
            async run({ queryFirst, click }) {
                const more = queryFirst(".o_statusbar_buttons button:has(.oi-ellipsis-v)");
                if (!queryFirst(".o_statusbar_buttons button[name='action_confirm']") && more) {
                    await click(more);
                }
            },
        },
        {
            content: "Confirm the quotation",
            trigger: "button[name='action_confirm']:visible",
            run: "click",
        },
        {
            content: "Confirmed: the client is now a link to its form",
            trigger: ".o_form_view .o_field_widget[name='partner_id'] a.o_form_uri",
            run: "click",
        },
        {
            content: "The client's form is open",
            trigger: ".o_last_breadcrumb_item:contains(Tour Code Client)",
        },
        {
            content: "It shows its client code",
            trigger: ".o_form_view .o_field_widget[name='ref'] input",
            run() {
                if (!/^C\d{5}$/.test(this.anchor.value)) {
                    throw new Error(`No client code on the form: "${this.anchor.value}"`);
                }
            },
        },
    ],
});
