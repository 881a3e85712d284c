export { ProfileSummary } from './ProfileSummary';
export { WhatsNext } from './WhatsNext';
