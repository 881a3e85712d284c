export { refreshAfterResult, resultQueryKey, useMatchResult } from './api';
export { formatInstant, lineName, resultFor, RESULT_STATUS_LABELS, scoreText } from './labels';
export { ResultPanel } from './ResultPanel';
export { ResultHistory, ResultLines } from './ResultView';
