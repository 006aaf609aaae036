import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

/**
 * The values to keep when merging partners: one row per value that differs
 * between the records (from the wizard's `extrabat_merge_differences`), one
 * radio button per record's value. The choices are saved in the JSON field
 * {row key: option key}; a row without a choice keeps its default, which
 * the server applies the same way.
 */
export class MergeChoicesField extends Component {
    static template = "extrabat_crm.MergeChoicesField";
    static props = { ...standardFieldProps };

    get rows() {
        return this.props.record.data.extrabat_merge_differences?.rows || [];
    }

    get choices() {
        const value = this.props.record.data[this.props.name];
        return value && typeof value === "object" ? value : {};
    }

    chosen(row) {
        const choice = this.choices[row.key];
        return row.options.some((option) => option.key === choice) ? choice : row.default;
    }

    inputId(row, option) {
        return `o_extrabat_merge_choice_${this.props.record.id}_${row.key}_${option.key}`;
    }

    onChoose(row, option) {
        this.props.record.update({
            [this.props.name]: { ...this.choices, [row.key]: option.key },
        });
    }
}

registry.category("fields").add("extrabat_merge_choices", {
    component: MergeChoicesField,
    supportedTypes: ["json"],
});
