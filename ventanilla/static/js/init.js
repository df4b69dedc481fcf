// Start GOV.UK Frontend's components (error summary focus, skip link, button
// double-click prevention, password toggle, file drop zone, service navigation
// menu). Loaded as a module, so it runs only where the <body> snippet added
// `govuk-frontend-supported`.
// Keep the path relative (and keep the word for ES module loading out of these
// comments): Django's ManifestStaticFilesStorage, with
// support_js_module_import_aggregation = True, rewrites it to the hashed file
// name, so the browser fetches govuk-frontend once.
import { initAll } from "../vendor/govuk-frontend/6.6.0/govuk-frontend.min.js";

initAll();
