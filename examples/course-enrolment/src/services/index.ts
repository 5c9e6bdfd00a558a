import type { SystemDefinition } from '@eventloom/example-kit';
import { billingService } from './billing.js';
import { courseAccessService } from './course-access.js';
import { enrolmentService } from './enrolment.js';
import { invoicingService } from './invoicing.js';

/** No service calls another: each reacts to the events the others publish. `billing` drives the demo. */
export const courseEnrolment: SystemDefinition = {
  name: 'course-enrolment',
  services: [billingService, courseAccessService, enrolmentService, invoicingService],
};
