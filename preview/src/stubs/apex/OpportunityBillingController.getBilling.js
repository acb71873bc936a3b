/** OpportunityBillingController.getBilling (see ../controllers/opportunityBilling.js for the endpoint). */
import { apexMethod } from '../salesforce/apexMethod';
import { getBilling } from '../controllers/opportunityBilling';

export default apexMethod(getBilling);
