import { ConfirmationDialog } from "@web/core/confirmation_dialog/confirmation_dialog";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { StatusBarField, statusBarField } from "@web/views/fields/statusbar/statusbar_field";

/**
 * The client status bar of the partner form: choosing the trash status asks
 * the confirmation of the "Put in the Trash" button before saving (the
 * server then trashes the client as the button does).
 */
export class ClientStatusStatusBarField extends StatusBarField {
    setup() {
        super.setup();
        this.orm = useService("orm");
        this.dialog = useService("dialog");
    }

    /**
     * @param {import("@web/views/fields/statusbar/statusbar_field").StatusBarItem} item
     */
    async selectItem(item) {
        if (!(await this.isTrash(item))) {
            return super.selectItem(item);
        }
        this.dialog.add(ConfirmationDialog, {
            body: _t(
                "Put this client and its contacts in the trash? They disappear from searches and can be restored from the trash."
            ),
            confirm: () => super.selectItem(item),
            cancel: () => {},
        });
    }

    async isTrash(item) {
        if (item.isSelected) {
            return false;
        }
        const [status] = await this.orm.read(this.field.relation, [item.value], ["is_trash"]);
        return Boolean(status?.is_trash);
    }
}

registry.category("fields").add("extrabat_client_status_statusbar", {
    ...statusBarField,
    component: ClientStatusStatusBarField,
});
