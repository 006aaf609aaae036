import { registry } from "@web/core/registry";

/**
 * Opens, from a link of the dashboard by email, the list behind a figure:
 * /odoo/extrabat-dashboard-list?action=<xmlid>&domain=<json>&name=<title>
 *
 * The server builds the window action (with the clicking user's rights) and
 * the action manager opens it in place of this one.
 */
async function openDashboardList(env, action) {
    const params = action.params || {};
    return env.services.orm.call("extrabat.dashboard.element", "get_list_action", [
        String(params.action || ""),
        String(params.domain || "[]"),
        String(params.name || ""),
    ]);
}
openDashboardList.path = "extrabat-dashboard-list";

registry.category("actions").add("extrabat_dashboard_list", openDashboardList);
