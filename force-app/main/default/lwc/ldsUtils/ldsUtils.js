/**
 * Turns whatever Lightning hands a component as an error (an Apex AuraHandledException, an LDS
 * error, a JavaScript Error, or a list of them) into the plain messages a person can read.
 * @param {FetchResponse|FetchResponse[]|Error|Error[]} errors
 * @return {String[]} messages, without duplicates or empty ones
 */
export function reduceErrors(errors) {
    const list = Array.isArray(errors) ? errors : [errors];
    const messages = list
        .filter((error) => !!error)
        .map((error) => {
            const body = error.body;
            if (Array.isArray(body)) {
                return body.map((e) => e.message);
            }
            if (body && Array.isArray(body.pageErrors) && body.pageErrors.length > 0) {
                return body.pageErrors.map((e) => e.message);
            }
            if (body && body.fieldErrors && Object.keys(body.fieldErrors).length > 0) {
                return Object.values(body.fieldErrors)
                    .flat()
                    .map((e) => e.message);
            }
            if (body && body.output && Array.isArray(body.output.errors) && body.output.errors.length > 0) {
                return body.output.errors.map((e) => e.message);
            }
            if (body && typeof body.message === 'string') {
                return body.message;
            }
            if (typeof error.message === 'string') {
                return error.message;
            }
            return error.statusText;
        })
        .flat()
        .filter((message) => typeof message === 'string' && message.trim() !== '');
    return [...new Set(messages)];
}
