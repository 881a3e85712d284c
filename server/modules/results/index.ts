export { resultsRoutes } from './results.routes';
export { confirmDueResults, recordAgreedResult } from './results.service';
