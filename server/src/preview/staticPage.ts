/**
 * Serves the built preview (preview/dist). Its Content-Security-Policy allows the page's own
 * scripts, styles and images and nothing from another origin; styles may be inline because the
 * LWC runtime (synthetic shadow) injects each component's CSS as a <style> element. The page only
 * talks to this backend (connect-src 'self').
 */
import express, { Router } from 'express';
import { errorBody } from '../http/errors';

export const PREVIEW_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function staticPage(distDir: string): Router {
  const router = Router();
  router.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', PREVIEW_CSP);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    next();
  });
  // The page's URLs are relative (assets/…, preview.js): /preview must become /preview/.
  router.get('/', (req, res, next) => {
    const [pathname, search] = req.originalUrl.split('?', 2);
    if (pathname?.endsWith('/')) return next();
    res.redirect(301, `${pathname}/${search === undefined ? '' : `?${search}`}`);
  });
  router.use(express.static(distDir, { index: 'index.html', dotfiles: 'ignore', fallthrough: true }));
  router.get('/', (_req, res) => {
    // Reached only when dist/ has no index.html: say how to build it rather than a bare 404.
    res.status(503).json(errorBody('PREVIEW_NOT_BUILT', 'The preview is not built: run `npm run build -w preview`'));
  });
  return router;
}
