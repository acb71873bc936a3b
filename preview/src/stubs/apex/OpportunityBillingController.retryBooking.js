/** OpportunityBillingController.retryBooking (see ../controllers/opportunityBilling.js for the endpoint). */
import { apexMethod } from '../salesforce/apexMethod';
import { retryBooking } from '../controllers/opportunityBilling';

export default apexMethod(retryBooking);
