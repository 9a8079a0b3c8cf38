/**
 * Imported first by bench/run.ts: the handlers' loggers and metrics (Powertools) are built when
 * lambdas/runtime/observability.ts is first imported, and the cost run imports it in this process.
 * Their lines would mix with the report on stdout.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
process.env.POWERTOOLS_METRICS_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
