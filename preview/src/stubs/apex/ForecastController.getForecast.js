/** ForecastController.getForecast (see ../controllers/forecast.js for the endpoint). */
import { apexMethod } from '../salesforce/apexMethod';
import { getForecast } from '../controllers/forecast';

export default apexMethod(getForecast);
