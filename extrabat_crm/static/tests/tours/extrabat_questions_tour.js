import { registry } from "@web/core/registry";

/**
 * Answers one question of each type on a client's form, saves, and checks
 * the "home page" badges. The Python side (tests/test_questions_tour.py)
 * creates the questions and the client, then checks the stored answers.
 */
const question = (code) => `.o_extrabat_question[data-question-code="${code}"]`;

registry.category("web_tour.tours").add("extrabat_questions_tour", {
    steps: () => [
        {
            content: "Open the complementary questions tab",
            trigger: ".o_notebook a[name='extrabat_questions']",
            run: "click",
        },
        {
            content: "Short text",
            trigger: `${question("tour_char")} input`,
            run: "edit Chantier de la rue Garibaldi",
        },
        {
            content: "Long text",
            trigger: `${question("tour_text")} textarea`,
            run: "edit Accès par la cour.",
        },
        {
            content: "Dropdown",
            trigger: `${question("tour_selection")} select`,
            run: "selectByLabel Pompe à chaleur",
        },
        {
            content: "Dropdown + free text: the option",
            trigger: `${question("tour_selection_text")} select`,
            run: "selectByLabel Salon",
        },
        {
            content: "Dropdown + free text: the text",
            trigger: `${question("tour_selection_text")} input.o_extrabat_choice_text`,
            run: "edit par Le Bon Coin",
        },
        {
            content: "Yes/no checkbox",
            trigger: `${question("tour_boolean")} input[type=checkbox]`,
            run: "check",
        },
        {
            content: "Multiple checkboxes: first box",
            trigger: `${question("tour_multi")} .o_extrabat_check:contains(Radiateurs) input`,
            run: "check",
        },
        {
            content: "Multiple checkboxes: second box",
            trigger: `${question("tour_multi")} .o_extrabat_check:contains(Plancher chauffant) input`,
            run: "check",
        },
        {
            content: "Date",
            trigger: `${question("tour_date")} input[type=date]`,
            run() {
                const input = this.anchor;
                input.value = "2024-05-01";
                input.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "Number, typed the French way",
            trigger: `${question("tour_number")} input`,
            run: "edit 120,5",
        },
        {
            content: "The key answer shows at the top of the form before saving",
            trigger: ".o_extrabat_home_answers:contains(Pompe à chaleur)",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The number is read back from the server",
            trigger: `${question("tour_number")} input:value("120,5")`,
        },
    ],
});
