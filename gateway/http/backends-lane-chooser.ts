/**
 * The pass-through lane of an organisation edge: the backend the Host router would hand a plain
 * request to, chosen as it chooses (host, then the longest public path). On a host several
 * backends share, a path that is any candidate's federation route may be routed by its body or
 * credentials (backend-router.ts): those, and hosts no backend serves, stay with the router app.
 */
import { backendsFor, type RoutableBackend } from '../core/routing/backend-routing.ts';
import type { LaneChooser } from './passthrough-lane.ts';

export interface LaneBackend extends RoutableBackend {
  /** The backend's own lane chooser (oneBackendChooser over its federation paths). */
  readonly choose: LaneChooser;
}

export function backendsLaneChooser(backends: readonly LaneBackend[]): LaneChooser {
  return (req, path, target) => {
    const candidates = backendsFor(backends, req.headers.host, path);
    const [first, ...others] = candidates;
    if (first === undefined) return undefined;
    if (others.some((other) => other.choose(req, path, target) === undefined)) return undefined;
    return first.choose(req, path, target);
  };
}
