export { useInvitePreview } from './api';
export { InviteDetails, InviteResponse } from './InviteResponse';
export { InvitesPanel } from './InvitesPanel';
