import { registry } from "@web/core/registry";

/**
 * The client opens the link of the "Send for signature" email (no login),
 * signs with the name prefilled, and sees the letter signed.
 * The test (test_flow_tour.py) checks the database afterwards.
 */
registry.category("web_tour.tours").add("extrabat_letters_portal_sign_tour", {
    steps: () => [
        {
            content: "The letter's PDF is shown",
            trigger: "iframe.o_extrabat_letter_pdf",
        },
        {
            content: "The signer's name is prefilled",
            trigger: "#extrabat_letter_sign .o_web_sign_name_and_signature input:value(Tour Martin)",
        },
        {
            content: "The name is drawn as a signature",
            trigger: "#extrabat_letter_sign canvas.o_web_sign_signature",
            run: "canvasNotEmpty",
        },
        {
            content: "Sign",
            trigger: "#extrabat_letter_sign .o_portal_sign_submit:enabled",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The letter is signed",
            trigger: ".o_extrabat_letter_signed_ok",
        },
        {
            trigger: ".o_extrabat_letter_signed:contains(Tour Martin)",
        },
    ],
});
