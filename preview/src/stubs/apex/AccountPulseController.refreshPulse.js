/** AccountPulseController.refreshPulse → GET /v1/accounts/{id}/pulse?refresh=true (the Refresh button). */
import { apexMethod } from '../salesforce/apexMethod';
import { loadPulse } from '../controllers/accountPulse';

export default apexMethod((params) => loadPulse(params, true));
