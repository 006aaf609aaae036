import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { NameAndSignature } from "@web/core/signature/name_and_signature";
import { hidePDFJSButtons } from "@web/core/utils/pdfjs";
import { url } from "@web/core/utils/urls";
import { standardFieldProps } from "@web/views/fields/standard_field_props";

import { Component, useEffect, useRef, useState } from "@odoo/owl";

/**
 * The signature pad of the letter's sign dialog, for the client signing on
 * the salesperson's tablet or phone: the letter's PDF (Odoo's PDF.js viewer,
 * which renders every page on a tablet too) and, below it, Odoo's signature
 * pad open in Draw mode. What is drawn is the field's value at once: the
 * dialog's Sign button is the only confirmation.
 *
 * The PDF is asked for by its SHA-256 (the dialog's ``pdf_sha256``, sent
 * back and checked when signing): the server serves it only if it is still
 * that PDF, so the client sees exactly the PDF they sign.
 */
export class LetterSignPadField extends Component {
    static template = "extrabat_letters.LetterSignPadField";
    static components = { NameAndSignature };
    static props = {
        ...standardFieldProps,
        letterField: { type: String },
        sha256Field: { type: String },
        nameField: { type: String },
    };

    setup() {
        this.signature = useState({
            name: this.props.record.data[this.props.nameField] || "",
            isSignatureEmpty: true,
        });
        this.pdfRef = useRef("pdf");
        useEffect(
            (el) => {
                if (el) {
                    hidePDFJSButtons(el, { hideDownload: true, hidePrint: true });
                }
            },
            () => [this.pdfRef.el]
        );
    }

    get pdfUrl() {
        const { record, letterField, sha256Field } = this.props;
        const letterId = record.data[letterField]?.id;
        const sha256 = record.data[sha256Field];
        if (!letterId || !sha256) {
            return null;
        }
        const file = url(`/my/letters/${letterId}/pdf`, { sha256 });
        return `/web/static/lib/pdfjs/web/viewer.html?file=${encodeURIComponent(file)}`;
    }

    get pdfTitle() {
        return _t("The letter to sign");
    }

    get signatureProps() {
        return {
            signature: this.signature,
            mode: "draw",
            noInputName: true,
            displaySignatureRatio: 3,
            onSignatureChange: () => this.onSignatureChange(),
        };
    }

    onSignatureChange() {
        const image =
            !this.signature.isSignatureEmpty && this.signature.getSignatureImage?.();
        this.props.record.update({
            [this.props.name]: (image && image.split(",")[1]) || false,
        });
    }
}

export const letterSignPadField = {
    component: LetterSignPadField,
    supportedTypes: ["binary"],
    extractProps: ({ options }) => ({
        letterField: options.letter_field || "letter_id",
        sha256Field: options.sha256_field || "pdf_sha256",
        nameField: options.name_field || "signer_name",
    }),
    fieldDependencies: ({ options }) => [
        { name: options.letter_field || "letter_id", type: "many2one" },
        { name: options.sha256_field || "pdf_sha256", type: "char" },
        { name: options.name_field || "signer_name", type: "char" },
    ],
};

registry.category("fields").add("extrabat_letter_sign_pad", letterSignPadField);
