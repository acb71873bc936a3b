/** GET /v1/dashboards/forecast-vs-actual — pipeline → booked → invoiced → paid, for managers. */
import { Router } from 'express';
import { ConversionUnavailable, forecastVsActual } from '../../forecast/dashboard';
import { forecastQuery } from '../../forecast/periods';
import type { Sql } from '../../store/db';
import { ApiError, parseOr400 } from '../errors';

export function dashboardsRouter(sql: Sql): Router {
  const router = Router();
  router.get('/forecast-vs-actual', async (req, res) => {
    const query = parseOr400(forecastQuery, req.query, 'query');
    try {
      res.json(await forecastVsActual(sql, query));
    } catch (e) {
      if (e instanceof ConversionUnavailable) throw new ApiError(422, 'NO_RATES', `convert: ${e.message}`, 'convert');
      throw e;
    }
  });
  return router;
}
