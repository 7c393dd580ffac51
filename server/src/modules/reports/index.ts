import './listeners.js';

export { recordFact, ticketSnapshot, type FactInput } from './use-cases/record-fact.js';
export { FACT_KINDS, type FactKind } from './domain/facts.js';
export { reportFacts } from './db/schema.js';
export { reportsRoutes, presenceHook } from './reports.routes.js';
