export { AvailabilityChoice } from './AvailabilityChoice';
export { TeamSheet } from './TeamSheet';
