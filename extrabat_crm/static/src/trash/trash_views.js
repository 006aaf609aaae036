import { Component, onWillStart } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { useService } from "@web/core/utils/hooks";
import { registry } from "@web/core/registry";
import { ActionHelper } from "@web/views/action_helper";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { kanbanView } from "@web/views/kanban/kanban_view";
import { ListRenderer } from "@web/views/list/list_renderer";
import { listView } from "@web/views/list/list_view";

/**
 * What the trash shows when no client is listed: "the trash is empty" (the
 * action's help) only when it really is; when the search hides its clients,
 * that nothing matches the search and how many clients the trash holds.
 * Counted each time the helper appears, with the action's domain and
 * context (the trash without the search).
 */
export class TrashActionHelper extends Component {
    static template = "extrabat_crm.TrashActionHelper";
    static components = { ActionHelper };
    static props = { ...ActionHelper.props };

    setup() {
        this.orm = useService("orm");
        onWillStart(async () => {
            const { resModel, globalDomain, globalContext } = this.env.searchModel;
            this.trashCount = await this.orm.searchCount(resModel, globalDomain, {
                context: globalContext,
            });
        });
    }

    get countMessage() {
        return _t(
            "Clients in the trash: %(count)s. Change or remove the filters of the search to see them.",
            { count: this.trashCount }
        );
    }
}

export class TrashListRenderer extends ListRenderer {
    static components = { ...ListRenderer.components, ActionHelper: TrashActionHelper };
}

export class TrashKanbanRenderer extends KanbanRenderer {
    static components = { ...KanbanRenderer.components, ActionHelper: TrashActionHelper };
}

registry.category("views").add("extrabat_trash_list", {
    ...listView,
    Renderer: TrashListRenderer,
});
registry.category("views").add("extrabat_trash_kanban", {
    ...kanbanView,
    Renderer: TrashKanbanRenderer,
});
