export { Proposals } from './Proposals';
