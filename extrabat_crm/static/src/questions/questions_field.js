import { _t } from "@web/core/l10n/translation";
import { Component } from "@odoo/owl";
import { CheckBox } from "@web/core/checkbox/checkbox";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { formatAnswer } from "./answer_format";

/**
 * The "Complementary questions" tab of the partner form: every active
 * question of the client's company with the input of its answer type.
 *
 * The field is a JSON payload {questions, answers} computed by the server
 * (res.partner._extrabat_answer_payloads). Edits update `answers` and list
 * the changed questions in `dirty`, so that saving writes only those.
 */
export class QuestionsField extends Component {
    static template = "extrabat_crm.QuestionsField";
    static components = { CheckBox };
    static props = { ...standardFieldProps };

    get payload() {
        return this.props.record.data[this.props.name] || { questions: [], answers: {} };
    }

    get questions() {
        return this.payload.questions || [];
    }

    answer(question) {
        const value = (this.payload.answers || {})[question.id];
        return value === undefined ? null : value;
    }

    display(question) {
        return formatAnswer(question, this.answer(question));
    }

    inputId(question, suffix = "") {
        return `extrabat_question_${this.props.record.id}_${question.id}${suffix}`;
    }

    optionLabel(option) {
        return option.active ? option.name : _t("%s (archived)", option.name);
    }

    /**
     * @param {Object} question
     * @param {*} value new JSON answer; null removes the answer
     */
    setAnswer(question, value) {
        const payload = this.payload;
        const answers = { ...(payload.answers || {}) };
        if (value === null || value === undefined) {
            delete answers[question.id];
        } else {
            answers[question.id] = value;
        }
        const dirty = [...new Set([...(payload.dirty || []), question.id])];
        this.props.record.update({ [this.props.name]: { ...payload, answers, dirty } });
    }

    onTextChange(question, ev) {
        const text = ev.target.value;
        this.setAnswer(question, text.trim() ? text : null);
    }

    onNumberChange(question, ev) {
        // Sent as typed ("12,5"): the server parses it with the user's
        // language and explains what is wrong if it is not a number.
        const text = ev.target.value.trim();
        this.setAnswer(question, text || null);
    }

    onDateChange(question, ev) {
        this.setAnswer(question, ev.target.value || null);
    }

    onBooleanChange(question, checked) {
        this.setAnswer(question, checked);
    }

    onSelectChange(question, ev) {
        const optionId = parseInt(ev.target.value);
        this.setAnswer(question, optionId || null);
    }

    onMultiChange(question, option, checked) {
        const current = this.answer(question) || [];
        const ids = checked
            ? [...new Set([...current, option.id])]
            : current.filter((id) => id !== option.id);
        this.setAnswer(question, ids.length ? ids : null);
    }

    onChoiceTextChange(question, part, ev) {
        const current = this.answer(question) || { option_id: false, text: "" };
        const next = { ...current };
        if (part === "option") {
            next.option_id = parseInt(ev.target.value) || false;
        } else {
            next.text = ev.target.value;
        }
        this.setAnswer(question, next.option_id || next.text.trim() ? next : null);
    }

    numberValue(question) {
        const value = this.answer(question);
        if (value === null) {
            return "";
        }
        return typeof value === "number" ? formatAnswer({ ...question, unit: "" }, value) : value;
    }
}

export const questionsField = {
    component: QuestionsField,
    displayName: _t("Complementary questions"),
    supportedTypes: ["json"],
};

registry.category("fields").add("extrabat_questions", questionsField);
