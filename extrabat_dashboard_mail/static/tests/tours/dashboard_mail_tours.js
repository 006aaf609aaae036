import { registry } from "@web/core/registry";

/**
 * My Preferences › Receive the dashboard by email › Open the form: choose
 * monthly on the 31st, tick one more element, save. The test
 * (test_tours.py) runs it at desktop and at phone size (touch: the user
 * menu is in the burger menu) and checks the subscription afterwards.
 */
registry.category("web_tour.tours").add("extrabat_dashboard_mail_preferences_tour", {
    steps: () => [
        {
            isActive: ["desktop"],
            content: "Open the user menu",
            trigger: ".o_user_menu button",
            run: "click",
        },
        {
            isActive: ["desktop"],
            content: "Open My Preferences",
            trigger: "[data-menu=preferences]",
            run: "click",
        },
        {
            isActive: ["mobile"],
            content: "On a phone, the user menu is behind the avatar (burger)",
            trigger: ".o_mobile_menu_toggle",
            run: "click",
        },
        {
            isActive: ["mobile"],
            // The phone's menu items carry no id: the English label of Odoo's.
            content: "Open My Preferences",
            trigger: ".o_burger_menu .o_user_menu_mobile a:contains(My Preferences)",
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

/**
 * A link of the mail to a list that is empty now: a real empty state (the
 * help rendered as HTML, not its tags as text), no sample records. Run at
 * desktop and at phone size (test_tours.py).
 */
registry.category("web_tour.tours").add("extrabat_dashboard_mail_empty_list_tour", {
    steps: () => [
        {
            content: "The list is titled as the link says",
            trigger: ".o_breadcrumb:contains(Empty quotes of the tour)",
        },
        {
            content: "The empty state is rendered as HTML",
            trigger: ".o_view_nocontent .o_view_nocontent_empty_folder:contains(Nothing to show any more)",
        },
        {
            content: "No tag shown as text",
            trigger: ".o_view_nocontent:not(:contains(<p)):not(:contains(o_view_nocontent_))",
        },
        {
            content: "No sample records behind the empty state",
            trigger: ".o_action_manager:not(:has(.o_view_sample_data)):not(:has(.o_data_row)):not(:has(.o_kanban_record:not(.o_kanban_ghost)))",
        },
    ],
});
