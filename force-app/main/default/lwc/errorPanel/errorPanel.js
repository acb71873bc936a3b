import { LightningElement, api } from 'lwc';
import { reduceErrors } from 'c/ldsUtils';

/** The one place every Closeloop component shows an error: a sentence, then the details. */
export default class ErrorPanel extends LightningElement {
    /** What failed, in the words of the component that failed. */
    @api friendlyMessage = 'Something went wrong.';
    /** Raw errors from Apex, LDS or JavaScript. */
    @api errors;

    get messages() {
        return reduceErrors(this.errors).map((text, index) => ({ key: `m${index}`, text }));
    }

    get hasMessages() {
        return this.messages.length > 0;
    }
}
