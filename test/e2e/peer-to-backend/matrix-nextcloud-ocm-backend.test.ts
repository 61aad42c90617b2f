/** Issue 7, first Done-when bullet: every peer dialect → the nextcloud-ocm-backend row (see matrix-cells.ts). */
import { BACKENDS } from './peer-to-backend-rig.ts';
import { describeBackendRow } from './matrix-cells.ts';

const row = BACKENDS[3]!;
describeBackendRow(row.dialect, row.spec);
