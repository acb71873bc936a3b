import { reduceErrors } from 'c/ldsUtils';

describe('reduceErrors', () => {
    it('reads an Apex AuraHandledException', () => {
        expect(reduceErrors({ body: { message: 'You do not have access to this account.' }, status: 500 })).toEqual([
            'You do not have access to this account.',
        ]);
    });

    it('reads LDS page, field and output errors', () => {
        expect(reduceErrors({ body: { pageErrors: [{ message: 'Page' }], fieldErrors: {} } })).toEqual(['Page']);
        expect(reduceErrors({ body: { pageErrors: [], fieldErrors: { Amount: [{ message: 'Too big' }] } } })).toEqual([
            'Too big',
        ]);
        expect(reduceErrors({ body: { output: { errors: [{ message: 'Output' }] } } })).toEqual(['Output']);
        expect(reduceErrors({ body: [{ message: 'A' }, { message: 'B' }] })).toEqual(['A', 'B']);
    });

    it('reads JavaScript errors and falls back to the status text', () => {
        expect(reduceErrors(new TypeError('boom'))).toEqual(['boom']);
        expect(reduceErrors({ statusText: 'Service Unavailable' })).toEqual(['Service Unavailable']);
    });

    it('drops empty and duplicate messages', () => {
        expect(
            reduceErrors([null, undefined, { body: { message: 'Same' } }, { body: { message: 'Same' } }, {}]),
        ).toEqual(['Same']);
        expect(reduceErrors(undefined)).toEqual([]);
    });
});
