import { _t } from "@web/core/l10n/translation";
import { Component } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { formatAnswer } from "./answer_format";

/**
 * Answers of the questions flagged "show on the client's home page", as
 * badges: at the top of the partner form (live, from the
 * `extrabat_answers_data` payload) and on kanban cards (from the
 * `extrabat_home_answers` list {label, value}).
 */
export class HomeAnswersField extends Component {
    static template = "extrabat_crm.HomeAnswersField";
    static props = { ...standardFieldProps };

    get items() {
        const value = this.props.record.data[this.props.name];
        if (!value) {
            return [];
        }
        if (Array.isArray(value)) {
            return value;
        }
        const answers = value.answers || {};
        return (value.questions || [])
            .filter((question) => question.home)
            .map((question) => ({
                label: question.name,
                value: formatAnswer(question, answers[question.id]),
            }))
            .filter((item) => item.value);
    }
}

export const homeAnswersField = {
    component: HomeAnswersField,
    displayName: _t("Key answers"),
    supportedTypes: ["json"],
};

registry.category("fields").add("extrabat_home_answers", homeAnswersField);
