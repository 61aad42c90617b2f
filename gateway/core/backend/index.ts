/** Pure backend knowledge: its profile, detection from probe answers, failures, notification plans. */
export * from './backend-profile.ts';
export * from './backend-probe.ts';
export { backendProductOf, productAtLeast, UNKNOWN_PRODUCT } from './backend-product.ts';
export { ocmDialectOfApiVersion } from './backend-documents.ts';
export {
  decideBackendProfile,
  type BackendDecision,
  type BackendDecisionInput,
} from './decide-backend-profile.ts';
export { rebaseOnBackend } from './rebase-on-backend.ts';
export {
  backendFailureStatus,
  backendFailureToGatewayError,
  DEFAULT_BACKEND_RETRY_AFTER_SECONDS,
  scrubBackendMessage,
  type BackendFailure,
  type BackendUrls,
} from './backend-failure.ts';
export {
  knownNotificationType,
  notificationApplies,
  planBackendNotification,
  type NotificationPlan,
  type PlanDirection,
  type PlanState,
} from './plan-backend-notification.ts';
export { checkLocalRecipient, type LocalRecipient } from './local-recipient.ts';
