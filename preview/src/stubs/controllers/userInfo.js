/** UserInfo for the preview's user: the i18n currency the base components use too. */
import currency from '@salesforce/i18n/currency';

export const USER_CURRENCY = currency;
