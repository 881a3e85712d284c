export { useVenues, venuesQueryKey } from './api';
export { Venues } from './Venues';
