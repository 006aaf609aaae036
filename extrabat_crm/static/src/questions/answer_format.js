import { _t } from "@web/core/l10n/translation";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { formatFloat } from "@web/core/utils/numbers";

/**
 * Display text of an answer as the server's extrabat_core.format_answer
 * writes it, for answers edited in the form before they are saved.
 *
 * @param {Object} question a question of the `extrabat_answers_data` payload
 * @param {*} value its JSON answer (undefined/null: no answer)
 * @returns {string}
 */
export function formatAnswer(question, value) {
    if (value === undefined || value === null) {
        return "";
    }
    const optionName = (id) => question.options.find((o) => o.id === id)?.name || "";
    switch (question.type) {
        case "boolean":
            return value ? _t("Yes") : _t("No");
        case "number": {
            if (typeof value !== "number") {
                return String(value);
            }
            // As the server writes numbers: up to 6 decimals, no trailing
            // zeros, thousands separated from five digits on ("1978 m²").
            const options = { minDigits: 1, trailingZeros: false };
            if (Math.abs(value) < 10000) {
                options.thousandsSep = "";
            }
            const number = formatFloat(value, options);
            return question.unit ? `${number}\u00a0${question.unit}` : number;
        }
        case "date":
            try {
                return formatDate(deserializeDate(value));
            } catch {
                return String(value);
            }
        case "selection":
            return optionName(value);
        case "multi":
            return question.options
                .filter((o) => value.includes(o.id))
                .map((o) => o.name)
                .join(", ");
        case "selection_text":
            return [value.option_id ? optionName(value.option_id) : "", value.text || ""]
                .filter(Boolean)
                .join(" — ");
        default:
            return String(value);
    }
}
