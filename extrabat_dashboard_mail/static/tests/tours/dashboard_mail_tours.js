import { registry } from "@web/core/registry";

/**
 * My Preferences › Receive the dashboard by email › Open the form: choose
 * monthly on the 31st, tick one more element, save. The test
 * (test_tours.py) checks the subscription afterwards.
 */
registry.category("web_tour.tours").add("extrabat_dashboard_mail_preferences_tour", {
    steps: () => [
        {
            content: "Open the user menu",
            trigger: ".o_user_menu button",
            run: "click",
        },
        {
            content: "Open My Preferences",
            trigger: "[data-menu=preferences]",
            run: "click",
        },
        {
            content: "Receive the dashboard by email: open the form",
            trigger: ".modal div[name=dashboard_mail] button[name=action_open_dashboard_subscription]",
            run: "click",
        },
        {
            content: "Every month",
            trigger: ".modal div[name=periodicity] input[data-value=monthly]",
            run: "click",
        },
        {
            content: "On the 31st (the last day of shorter months)",
            trigger: ".modal div[name=monthday] input",
            run: "edit 31",
        },
        {
            content: "Tick the payments received too",
            trigger: ".modal div[name=element_ids] .form-check:contains(Payments received) input",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal .o_form_view))",
        },
    ],
});

/**
 * A figure of the mail links to /odoo/extrabat-dashboard-list?...: the list
 * opens restricted to the figure's documents.
 */
registry.category("web_tour.tours").add("extrabat_dashboard_mail_list_link_tour", {
    steps: () => [
        {
            content: "The list is titled as the link says",
            trigger: ".o_breadcrumb:contains(Quotes of the tour)",
        },
        {
            content: "Only the quote of the link's domain is listed",
            trigger: ".o_list_renderer tbody:not(:has(tr.o_data_row ~ tr.o_data_row)) tr.o_data_row:contains(Tour Client)",
        },
    ],
});
