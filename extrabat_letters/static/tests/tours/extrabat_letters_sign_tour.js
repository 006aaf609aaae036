import { registry } from "@web/core/registry";

/**
 * Draw a signature on the pad: a few strokes of a finger (pointer events,
 * as a tablet sends them).
 */
export function drawSignature() {
    const canvas = document.querySelector(".modal canvas.o_web_sign_signature");
    const box = canvas.getBoundingClientRect();
    const point = (type, x, y, buttons) =>
        canvas.dispatchEvent(
            new PointerEvent(type, {
                bubbles: true,
                cancelable: true,
                isPrimary: true,
                pointerId: 1,
                pointerType: "touch",
                buttons,
                clientX: box.left + x * box.width,
                clientY: box.top + y * box.height,
            })
        );
    point("pointerdown", 0.1, 0.5, 1);
    for (let step = 1; step <= 20; step++) {
        point("pointermove", 0.1 + step * 0.04, 0.5 + (step % 2 ? -0.2 : 0.2), 1);
    }
    point("pointerup", 0.9, 0.5, 0);
}

/**
 * A draft letter's form, on a computer or a phone: Sign is the button in
 * sight; the sign dialog shows the letter's PDF and the pad open in Draw
 * mode; the client draws and one tap on Sign signs the letter.
 * The test (test_flow_tour.py) creates the letter, then checks the database.
 */
registry.category("web_tour.tours").add("extrabat_letters_sign_tour", {
    steps: () => [
        {
            content: "Sign is in sight (not in the ⋮ menu)",
            trigger: ".o_form_statusbar .o_statusbar_buttons > button[name='action_sign']:visible",
            run: "click",
        },
        {
            content: "The dialog asks the PDF that was shown by its SHA-256",
            trigger: ".modal iframe.o_extrabat_letter_pdf[src*='sha256%3D']",
        },
        {
            content: "The letter's first page is displayed",
            trigger: ".modal iframe.o_extrabat_letter_pdf:iframe .page[data-page-number='1'] canvas",
        },
        {
            content: "The pad is in Draw mode",
            trigger: ".modal .o_web_sign_draw_button.active",
        },
        {
            content: "The client draws their signature",
            trigger: ".modal canvas.o_web_sign_signature",
            run: drawSignature,
        },
        {
            trigger: ".modal canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "One tap on Sign",
            trigger: ".modal .modal-footer button[name='action_sign']",
            run: "click",
        },
        {
            content: "The letter is signed, no other dialog",
            trigger: "body:not(:has(.modal)) .o_form_view .o_field_widget[name='signed_by']:contains(Tour Martin)",
        },
    ],
});
