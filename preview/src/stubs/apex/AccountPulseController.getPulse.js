/** AccountPulseController.getPulse → GET /v1/accounts/{id}/pulse (cacheable read). */
import { apexMethod } from '../salesforce/apexMethod';
import { loadPulse } from '../controllers/accountPulse';

export default apexMethod((params) => loadPulse(params, false));
